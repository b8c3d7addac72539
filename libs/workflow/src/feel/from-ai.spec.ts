import { describe, expect, it } from 'vitest';
import { FromAiError, fromAiParameters } from './from-ai';

/**
 * The tool parameters of `fromAi` calls, as Zeebe lists them in `adHocSubProcessElements`: the cases
 * of camunda/camunda's AdHocSubProcessElementsVariableTest (SERVICE_TASK, COMPLEX_TOOL fixtures) and the
 * overloads of docs.camunda.io/docs/components/modeler/feel/builtin-functions/feel-built-in-functions-ai-agent/.
 */
describe('fromAi parameters', () => {
  it('reads positional calls, anywhere in the expression; a bare name is a reference too', () => {
    expect(fromAiParameters('=fromAi(toolCall.a, "Input A", "number")')).toEqual([{ name: 'toolCall.a', description: 'Input A', type: 'number' }]);
    expect(fromAiParameters('=fromAi(b, "Input B", "number")')).toEqual([{ name: 'b', description: 'Input B', type: 'number' }]);
    expect(fromAiParameters('=string(fromAi(toolCall.c, "Input C", "number"))')).toEqual([{ name: 'toolCall.c', description: 'Input C', type: 'number' }]);
    expect(fromAiParameters('="https://example.com/" + fromAi(toolCall.urlPath, "The URL path to use", "string")')).toEqual([
      { name: 'toolCall.urlPath', description: 'The URL path to use', type: 'string' },
    ]);
    expect(fromAiParameters('=123456')).toEqual([]);
  });

  it('reads named arguments, nulls, schemas and options of constants', () => {
    const expression = `={
      comment: "Multiple params, positional & named, simple & complex",
      foo: [fromAi(firstValue), string(fromAi(toolCall.secondValue, "The second value", "integer"))],
      bar: {
        baz: fromAi(description: "The third value to add", value: toolCall.thirdValue),
        qux: fromAi(toolCall.fourthValue, "The fourth value to add", "array", { "items": { "type": "string", "enum": ["foo", "bar", "baz"] } })
      }
    }`;
    expect(fromAiParameters(expression)).toEqual([
      { name: 'firstValue' },
      { name: 'toolCall.secondValue', description: 'The second value', type: 'integer' },
      { name: 'toolCall.thirdValue', description: 'The third value to add' },
      { name: 'toolCall.fourthValue', description: 'The fourth value to add', type: 'array', schema: { items: { type: 'string', enum: ['foo', 'bar', 'baz'] } } },
    ]);
    expect(fromAiParameters('=fromAi(toolCall.userId, null, "number")')).toEqual([{ name: 'toolCall.userId', type: 'number' }]);
    expect(fromAiParameters('=fromAi(toolCall.documentType, "The document type to provide", "string", null, { required: false })')).toEqual([
      { name: 'toolCall.documentType', description: 'The document type to provide', type: 'string', options: { required: false } },
    ]);
  });

  it("refuses in Zeebe's words what it cannot read", () => {
    expect(() => fromAiParameters('=fromAi("text")')).toThrow(
      new FromAiError("Expected fromAi() parameter 'value' to be a reference (e.g. 'toolCall.customParameter'), but received string 'text'."),
    );
    expect(() => fromAiParameters('=fromAi(toolCall.a, 5)')).toThrow("Expected fromAi() parameter 'description' to be a string, but received '5'.");
    expect(() => fromAiParameters('=fromAi(toolCall.a, "d", "t", {a: now()})')).toThrow("Expected fromAi() parameter 'schema' to be a context (map), but received '{a: now()}'.");
  });
});
