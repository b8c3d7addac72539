import { describe, expect, it } from 'vitest';
import { FilterReader, pageOf, pageResponse, sortOf } from './search';

/**
 * Paging, sorting and filters as Camunda 8.8 writes them:
 * https://docs.camunda.io/docs/apis-tools/orchestration-cluster-api-rest/orchestration-cluster-api-rest-data-fetching/
 */
describe('search requests as Camunda writes them', () => {
  it('pages by from/limit (limit 100 by default), and by the cursors of an earlier answer', () => {
    expect(pageOf(undefined)).toEqual({ from: 0, limit: 100 });
    expect(pageOf({ from: 20, limit: 10 })).toEqual({ from: 20, limit: 10 });
    const answer = pageResponse({ from: 20, limit: 10 }, 10, 45);
    expect(answer).toEqual({ totalItems: 45, hasMoreTotalItems: false, startCursor: expect.any(String), endCursor: expect.any(String) });
    // "Copy startCursor into before or endCursor into after to page through results respectively."
    expect(pageOf({ after: answer.endCursor, limit: 10 })).toEqual({ from: 30, limit: 10 });
    expect(pageOf({ before: answer.startCursor, limit: 10 })).toEqual({ from: 10, limit: 10 });
    expect(pageOf({ before: pageResponse({ from: 3, limit: 10 }, 2, 5).startCursor, limit: 10 })).toEqual({ from: 0, limit: 3 });
    expect(pageResponse({ from: 0, limit: 10 }, 0, 0)).toEqual({ totalItems: 0, hasMoreTotalItems: false });
  });

  it.each([
    [{ limit: 0 }, 'page.limit must be a whole number from 1 to 10,000'],
    [{ from: -1 }, 'page.from must be a whole number from 0 to 9,007,199,254,740,991'],
    [{ from: 0, after: 'eyJvIjoxfQ==' }, 'page takes one of from, after and before (got from and after)'],
    [{ after: 'not a cursor' }, "page.after must be a cursor this server answered (a page's startCursor or endCursor)"],
    [{ after: Buffer.from('{"o":-4}').toString('base64') }, "page.after must be a cursor this server answered (a page's startCursor or endCursor)"],
    [{ size: 5 }, 'page.size is not a paging field: use from and limit, or after or before with limit'],
  ])('refuses the page %j with 400: %s', (page, detail) => {
    expect(() => pageOf(page)).toThrow(expect.objectContaining({ status: 400, message: detail }));
  });

  it('sorts by Camunda field names mapped to the engine, ascending unless DESC', () => {
    const fields = { startDate: 'startedAt', processInstanceKey: 'key' } as const;
    expect(sortOf([{ field: 'startDate', order: 'DESC' }, { field: 'processInstanceKey' }], fields)).toEqual([
      { field: 'startedAt', order: 'DESC' },
      { field: 'key', order: 'ASC' },
    ]);
    expect(() => sortOf([{ field: 'color' }], fields)).toThrow(expect.objectContaining({ message: 'sort[0].field "color" cannot be sorted by: use one of startDate, processInstanceKey' }));
    expect(() => sortOf([{ field: 'startDate', order: 'UP' }], fields)).toThrow(expect.objectContaining({ message: 'sort[0].order must be ASC or DESC' }));
    expect(() => sortOf(['startDate'], fields)).toThrow(expect.objectContaining({ message: 'sort[0] must be {"field": "…", "order": "ASC" or "DESC"}' }));
  });

  it('reads a value, $eq or $in; names the operators and fields it does not take', () => {
    const f = new FilterReader({ state: { $in: ['ACTIVE', 'COMPLETED'] }, processDefinitionId: 'order', processInstanceKey: { $eq: '2251799813685249' } }, 'test search', ['state', 'processDefinitionId', 'processInstanceKey'], ['startDate']);
    expect(f.values('state', { enum: ['ACTIVE', 'COMPLETED', 'TERMINATED'] as const })).toEqual(['ACTIVE', 'COMPLETED']);
    expect(f.values('processDefinitionId', 'string')).toEqual(['order']);
    expect(f.values('processInstanceKey', 'key')).toEqual(['2251799813685249']);
    const fail = (filter: Record<string, unknown>, read: (r: FilterReader) => unknown) => () => read(new FilterReader(filter, 'test search', ['state', 'key', 'tenantId'], ['startDate']));
    expect(fail({ startDate: '2026-01-01T00:00:00Z' }, () => 0)).toThrow(expect.objectContaining({ message: 'filter.startDate is not supported by Mustafid yet (test search filters by state, key, tenantId)' }));
    expect(fail({ color: 'red' }, () => 0)).toThrow(expect.objectContaining({ message: 'filter.color is not a filter of the test search (its filters are state, key, tenantId, startDate)' }));
    expect(fail({ state: { $neq: 'ACTIVE' } }, (r) => r.values('state', 'string'))).toThrow(expect.objectContaining({ message: 'filter.state.$neq is not supported by Mustafid yet: filter by a value, $eq or $in' }));
    expect(fail({ state: { $where: 1 } }, (r) => r.values('state', 'string'))).toThrow(expect.objectContaining({ message: 'filter.state.$where is not a filter operator: use a value, $eq or $in' }));
    expect(fail({ key: { $in: ['1', 'x'] } }, (r) => r.values('key', 'key'))).toThrow(
      expect.objectContaining({ message: 'filter.key.$in[1] must be a key: a whole number written as a string, e.g. "2251799813685249"' }),
    );
    expect(fail({ key: { $eq: '1' } }, (r) => r.values('key', 'key', false))).toThrow(expect.objectContaining({ message: 'filter.key takes a plain value here, not operators' }));
    const tenant = new FilterReader({ tenantId: 'acme' }, 'test search', ['tenantId'], []);
    tenant.tenant();
    expect(tenant.nothing).toBe(true);
    const own = new FilterReader({ tenantId: { $in: ['<default>', 'acme'] } }, 'test search', ['tenantId'], []);
    own.tenant();
    expect(own.nothing).toBe(false);
  });
});
