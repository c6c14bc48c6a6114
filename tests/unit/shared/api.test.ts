import { describe, expect, it } from 'vitest';
import { ApiError, isMethod, parseArgs } from '../../../shared/api';

describe('StudioApi argument schemas', () => {
  it('accepts well-formed arguments', () => {
    expect(parseArgs('clips.list', { offset: 0, limit: 50, filter: { label: 'anger' }, sort: { by: 'name', dir: 'asc' } })).toEqual({
      offset: 0,
      limit: 50,
      filter: { label: 'anger' },
      sort: { by: 'name', dir: 'asc' },
    });
  });

  it('rejects wrong types, out-of-range numbers and unknown keys with a bad-request naming the field', () => {
    const cases: [Parameters<typeof parseArgs>[0], unknown, RegExp][] = [
      ['clips.get', { id: '3' }, /id/],
      ['clips.get', { id: 0 }, /id/],
      ['clips.get', { id: 1.5 }, /id/],
      ['clips.list', { offset: 0, limit: 100_000 }, /limit/],
      ['clips.list', { offset: 0, limit: 10, extra: true }, /extra|clips\.list/],
      ['clips.list', { offset: 0, limit: 10, filter: { label: 'x'.repeat(1000) } }, /filter\.label/],
      ['app.info', null, /app\.info/],
    ];
    for (const [method, args, where] of cases) {
      try {
        parseArgs(method, args);
        expect.unreachable(`${method} accepted ${JSON.stringify(args).slice(0, 60)}`);
      } catch (e) {
        expect(e).toBeInstanceOf(ApiError);
        expect((e as ApiError).code).toBe('bad-request');
        expect((e as ApiError).message).toMatch(where);
      }
    }
  });

  it('knows its methods and nothing else', () => {
    expect(isMethod('clips.list')).toBe(true);
    expect(isMethod('toString')).toBe(false);
    expect(isMethod('__proto__')).toBe(false);
    expect(isMethod(42)).toBe(false);
  });
});
