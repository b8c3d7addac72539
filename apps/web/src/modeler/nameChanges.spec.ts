import { describe, expect, it } from 'vitest';
import type { LocalisedName } from '../tasks/api';
import { nameChanges, updatePrompts } from './nameChanges';

const names = (entries: Record<string, LocalisedName>) => new Map(Object.entries(entries));

describe('nameChanges', () => {
  const before = names({ Task_A: { ar: 'تقديم الخدمة', en: 'Provide the service' }, Task_B: { ar: 'قرار', en: 'Decision' }, Task_C: { ar: 'توقيع' } });

  it('finds a name changed in one language, with what the other still says', () => {
    const after = names({ Task_A: { ar: 'تقديم الخدمة للمستفيد', en: 'Provide the service' }, Task_B: { ar: 'قرار', en: 'Chair decision' }, Task_C: { ar: 'توقيع' } });
    expect(nameChanges(before, after)).toEqual([
      { elementId: 'Task_A', changed: 'ar', from: 'تقديم الخدمة', to: 'تقديم الخدمة للمستفيد', other: 'Provide the service' },
      { elementId: 'Task_B', changed: 'en', from: 'Decision', to: 'Chair decision', other: 'قرار' },
    ]);
  });

  it('tells an element renamed in both languages apart, and leaves new and removed elements alone', () => {
    const after = names({ Task_A: { ar: 'خدمة', en: 'Service' }, Task_New: { ar: 'جديد' } });
    expect(nameChanges(before, after)).toEqual([{ elementId: 'Task_A', changed: 'both' }]);
  });
});

describe('updatePrompts', () => {
  const arChange = (to: string, from = 'تقديم الخدمة') => ({ elementId: 'Task_A', changed: 'ar' as const, from, to, other: 'Provide the service' });

  it('asks to update the English name when the Arabic one changed, keeping the first old name while it is typed', () => {
    const first = updatePrompts([], [arChange('تقديم')]);
    expect(first).toEqual([{ elementId: 'Task_A', changed: 'ar', update: 'en', from: 'تقديم الخدمة', to: 'تقديم', current: 'Provide the service' }]);
    expect(updatePrompts(first, [arChange('تقديم الخدمة للمستفيد', 'تقديم')])).toEqual([
      { elementId: 'Task_A', changed: 'ar', update: 'en', from: 'تقديم الخدمة', to: 'تقديم الخدمة للمستفيد', current: 'Provide the service' },
    ]);
  });

  it('asks the other way round for an English rename', () => {
    expect(updatePrompts([], [{ elementId: 'Task_B', changed: 'en', from: 'Decision', to: 'Chair decision', other: 'قرار' }])).toEqual([
      { elementId: 'Task_B', changed: 'en', update: 'ar', from: 'Decision', to: 'Chair decision', current: 'قرار' },
    ]);
  });

  it('drops the prompt once the other name is changed by hand, or both are, or the name is changed back', () => {
    const asked = updatePrompts([], [arChange('تقديم الخدمة للمستفيد')]);
    expect(updatePrompts(asked, [{ elementId: 'Task_A', changed: 'en', from: 'Provide the service', to: 'Provide the service to the applicant', other: 'تقديم الخدمة للمستفيد' }])).toEqual([]);
    expect(updatePrompts(asked, [{ elementId: 'Task_A', changed: 'both' }])).toEqual([]);
    expect(updatePrompts(asked, [arChange('تقديم الخدمة', 'تقديم الخدمة للمستفيد')])).toEqual([]);
  });
});
