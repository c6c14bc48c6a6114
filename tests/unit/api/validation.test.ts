// Every API argument is validated by its schema in shared/api.ts before any handler runs: for EVERY method of
// `methodSchemas`, wrong types, extra keys, oversized strings and arrays, NaN/Infinity, negative ids and
// prototype-pollution keys come back as ApiError('bad-request') and change nothing (the project's rows, the
// data folder, no event). Paths given to projects.open/create/import are checked too (relative, `..`,
// not a project, a device, a folder), and browser mode survives a JSON bomb.
import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as v from 'valibot';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiError, MAX_REQUEST_BYTES, methodSchemas, type Method } from '../../../shared/api';
import { StudioService } from '../../../src-main/api/studio-service';
import { startBrowserServer, type BrowserServer } from '../../../src-main/browser-mode/server';
import { importDataset } from '../../../src-main/store/import';
import { ProjectStore } from '../../../src-main/store/project-store';
import { addSyntheticVersion } from '../pipeline/synthetic-version';
import { DEMO_CLIPS, DEMO_MANIFEST, tempDir } from '../store/helpers';

const UUID = '123e4567-e89b-42d3-a456-426614174000';

/**
 * One valid argument object per method (each passes its schema): the cases below change one thing at a time,
 * so each must fail because of that one thing. A method added to shared/api.ts needs a line here.
 */
const VALID: Record<Method, Record<string, unknown>> = {
  'app.info': {},
  'app.setAnnotator': { name: 'ann' },
  'app.setDevice': { device: 'gpu' },
  'project.current': {},
  'clips.list': { offset: 0, limit: 10, filter: { label: 'anger' }, sort: { by: 'name', dir: 'asc' } },
  'clips.get': { id: 1 },
  'classes.list': {},
  'classes.delete': { name: 'weary' },
  'classes.rename': { name: 'weary', to: 'tired' },
  'classes.merge': { name: 'weary', into: 'sad' },
  'annotations.add': { clipId: 1, action: 'relabel', label: 'anger', annotator: 'ann' },
  'annotations.history': { clipId: 1 },
  'annotations.addMany': { clipIds: [1, 2], action: 'relabel', label: 'anger', annotator: 'ann' },
  'annotations.annotators': {},
  'agreement.report': {},
  'annotations.votes': { clipIds: [1, 2] },
  'discover.clusters': { versionId: 1, decisions: ['unknown'], includeReviewed: false, apart: [{ clipId: 3, from: [1, 2] }] },
  'models.list': {},
  'models.get': { id: 1 },
  'models.train': { known: ['anger', 'sadness'], encoder: 'functionals', epsilon: 0.7, rho: 0.5, tune: false, name: 'x' },
  'models.finetune': { name: 'fear', clipIds: [1], pad: [0.1, 0.2, 0.3], baseVersionId: 1, annotator: 'ann' },
  'models.activate': { id: 1 },
  'models.previewThresholds': { versionId: 1, epsilon: 0.5, rho: 1 },
  'models.applyThresholds': { versionId: 1, epsilon: 0.5, rho: 1 },
  'annotations.batchAccept': { minConfidence: 0.5, decision: 'accepted', ambiguousMinConfidence: 0.5, dryRun: true, annotator: 'ann' },
  'labels.estimate': {},
  'jobs.get': { jobId: UUID },
  'jobs.cancel': { jobId: UUID },
  'predictions.forClip': { clipId: 1, versionId: 1 },
  'pad.table': { table: 'eodn' },
  'clips.peaks': { id: 1, pixelsPerSecond: 100 },
  'clips.spectrogram': { id: 1, startSec: 0, endSec: 1, columns: 100 },
  'projects.recent': {},
  'projects.create': { name: 'p', file: '/tmp/p.eodn' },
  'projects.open': { file: '/tmp/p.eodn' },
  'projects.import': { source: '/tmp' },
  'projects.merge': { files: ['/tmp/p.eodn'] },
};

type Schema = v.GenericSchema & { type: string; wrapped?: Schema; entries?: Record<string, Schema>; pipe?: { kind: string }[] };

/** The schema under optional/nullable wrappers, and whether null is allowed on the way. */
function unwrap(schema: Schema): { base: Schema; nullable: boolean } {
  let s = schema;
  let nullable = false;
  for (;;) {
    if (s.type === 'optional' || s.type === 'nullable' || s.type === 'nullish') {
      if (s.type !== 'optional') nullable = true;
      s = s.wrapped!;
      continue;
    }
    // A pipe that ends in another schema (a check before an object schema): that schema says what the field is.
    const last = s.pipe?.at(-1) as Schema | undefined;
    if (last && last.kind === 'schema' && last !== s) {
      s = last;
      continue;
    }
    return { base: s, nullable };
  }
}

const HUGE_STRING = 'x'.repeat(100_000);
/** An object whose own key is literally `__proto__` (an object literal would set the prototype instead). */
const protoKey = (extra: object = {}) => JSON.parse(`{"__proto__": {"polluted": true}${Object.keys(extra).length ? ',' + JSON.stringify(extra).slice(1, -1) : ''}}`);

/** Values a field of this kind must refuse (null only where the schema does not allow it). */
function badValues(schema: Schema, sample: unknown): unknown[] {
  const { base, nullable } = unwrap(schema);
  const out: unknown[] = nullable ? [] : [null];
  switch (base.type) {
    case 'number':
      // Every numeric argument is a count, an id, a probability or a factor: none may be negative or huge.
      return [...out, '1', NaN, Infinity, -Infinity, -1, 1e300, true, {}, [1]];
    case 'string':
      return [...out, 123, ['a'], {}, HUGE_STRING];
    case 'boolean':
      return [...out, 'true', 1, {}];
    case 'picklist':
      return [...out, 'not-an-option', '', 1];
    case 'array': {
      const bad: unknown[] = [...out, 'x', {}, [NaN], [Infinity], [-1], [HUGE_STRING], [{}], [protoKey()]];
      const el = Array.isArray(sample) ? sample[0] : undefined;
      if (el !== undefined) bad.push(new Array(100_001).fill(el)); // over every maxLength
      return bad;
    }
    case 'tuple':
    case 'strict_tuple':
      return [...out, 'x', {}, [0, 0], [0, 0, 0, 0], [NaN, 0, 0], [Infinity, 0, 0], [-Infinity, 0, 0], [5, 0, 0], ['0', 0, 0]];
    case 'strict_object':
      return [...out, 'x', [], 1, { bogus: 1 }, protoKey(), { constructor: { prototype: { polluted: true } } }];
    case 'union': {
      // Each option's bad values that no option accepts (models.train's encoder: a name or { manifest }).
      const options = (base as Schema & { options: Schema[] }).options;
      const all = options.flatMap((o) => badValues(o, undefined)).filter((x) => x !== null);
      return [...out, ...all.filter((x) => !options.some((o) => v.is(o, x)))];
    }
    default:
      throw new Error(`no bad values for a ${base.type} schema: add them to this test`);
  }
}

interface Case {
  what: string;
  args: unknown;
}

function casesFor(method: Method): Case[] {
  const schema = methodSchemas[method] as unknown as Schema;
  const valid = VALID[method];
  const cases: Case[] = [
    { what: 'a string', args: 'x' },
    { what: 'a number', args: 42 },
    { what: 'an array', args: [valid] },
    { what: 'an empty array', args: [] },
    { what: 'true', args: true },
    { what: 'an extra key', args: { ...valid, extra: 1 } },
    { what: 'a __proto__ key', args: protoKey(valid) },
    { what: 'a constructor key', args: { ...valid, constructor: { prototype: { polluted: true } } } },
    { what: 'a prototype key', args: { ...valid, prototype: {} } },
    { what: 'an oversized key', args: { ...valid, [HUGE_STRING]: 1 } },
  ];
  for (const [key, field] of Object.entries(schema.entries ?? {})) {
    for (const bad of badValues(field, valid[key])) {
      const shown = typeof bad === 'string' && bad.length > 20 ? `${bad.length} chars` : Array.isArray(bad) && bad.length > 20 ? `${bad.length} items` : String(JSON.stringify(bad) ?? bad);
      cases.push({ what: `${key} = ${shown}`, args: { ...valid, [key]: bad } });
    }
  }
  // Required keys left out.
  for (const [key, field] of Object.entries(schema.entries ?? {})) {
    if (field.type === 'optional') continue;
    const { [key]: _dropped, ...rest } = valid;
    cases.push({ what: `without ${key}`, args: rest });
  }
  return cases;
}

let dir: string;
let dataDir: string;
let file: string;
let service: StudioService;
const events: string[] = [];

/** The project's content: every row of every table, hashed; and the data folder's files. */
function fingerprint(): string {
  const db = service.currentStore!.db;
  const h = createHash('sha256');
  const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").pluck().all() as string[];
  for (const t of tables) {
    h.update(t);
    for (const row of db.prepare(`SELECT * FROM "${t}"`).raw().iterate() as Iterable<unknown[]>) {
      h.update(JSON.stringify(row, (_k, x) => (Buffer.isBuffer(x) ? x.toString('base64') : typeof x === 'bigint' ? String(x) : x)));
    }
  }
  const walk = (d: string): string[] => readdirSync(d, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(join(d, e.name)) : [join(d, e.name)]));
  for (const f of walk(dataDir).sort()) if (!f.endsWith('-wal') && !f.endsWith('-shm')) h.update(`${f}:${statSync(f).size}`);
  return h.digest('hex');
}

async function expectBadRequest(method: unknown, args: unknown, label: string): Promise<ApiError> {
  try {
    await service.dispatch(method, args);
  } catch (e) {
    expect(e, label).toBeInstanceOf(ApiError);
    expect((e as ApiError).code, `${label}: ${(e as Error).message}`).toBe('bad-request');
    return e as ApiError;
  }
  throw new Error(`${label} was accepted`);
}

beforeAll(async () => {
  dir = tempDir('eodn-validation-');
  dataDir = join(dir, 'data');
  mkdirSync(dataDir);
  file = join(dataDir, 'demo.eodn');
  const store = ProjectStore.create(file, { name: 'demo' });
  await importDataset(store, DEMO_MANIFEST);
  addSyntheticVersion(store);
  store.close();
  service = new StudioService({ transport: 'browser', dataDir, version: 'test' });
  service.openProject(file);
  service.onAny((e) => events.push(e));
});
afterAll(() => service.shutdown());

describe('every method refuses bad arguments with bad-request and no effect', () => {
  it('has a valid example for every method, and each passes its schema', () => {
    expect(Object.keys(VALID).sort()).toEqual(Object.keys(methodSchemas).sort());
    for (const m of Object.keys(methodSchemas) as Method[]) {
      const r = v.safeParse(methodSchemas[m], VALID[m]);
      expect(r.success, `${m}: ${r.issues?.[0]?.message}`).toBe(true);
    }
  });

  for (const method of Object.keys(methodSchemas) as Method[]) {
    it(method, async () => {
      const before = fingerprint();
      events.length = 0;
      const cases = casesFor(method);
      expect(cases.length).toBeGreaterThan(8);
      for (const c of cases) {
        const err = await expectBadRequest(method, c.args, `${method} with ${c.what}`);
        expect(err.message.startsWith(`${method}: `)).toBe(true);
        expect(err.message.length).toBeLessThan(1000); // an oversized value is not echoed back
      }
      expect(fingerprint(), `${method} changed the project`).toBe(before);
      expect(events, `${method} announced something`).toEqual([]);
      expect(({} as Record<string, unknown>).polluted).toBeUndefined();
      expect(Object.prototype).not.toHaveProperty('polluted');
    });
  }

  it('refuses unknown and non-string method names', async () => {
    for (const m of ['nope', '__proto__', 'constructor', 'toString', 'hasOwnProperty', 42, null, { a: 1 }, HUGE_STRING]) {
      const err = await expectBadRequest(m, {}, `method ${String(m).slice(0, 20)}`);
      expect(err.message.length).toBeLessThan(200);
    }
  });
});

describe('project paths', () => {
  it('refuses relative paths, .. segments, non-projects, devices and folders with typed errors', async () => {
    const wav = join(DEMO_CLIPS, readdirSync(DEMO_CLIPS).find((f) => f.endsWith('.wav'))!);
    const folder = join(dir, 'folder.eodn');
    mkdirSync(folder);
    const link = join(dir, 'zero.eodn');
    symlinkSync('/dev/zero', link);
    const notSqlite = join(dir, 'text.eodn');
    writeFileSync(notSqlite, 'not a database\n'.repeat(100));
    const fifoLike = join(dir, 'notes.txt');
    writeFileSync(fifoLike, 'x');
    const before = fingerprint();
    const recent = readFileSync(join(dataDir, 'recent-projects.json'), 'utf8');
    const bad: [Method, Record<string, unknown>, RegExp][] = [
      ['projects.open', { file: 'demo.eodn' }, /absolute/],
      ['projects.open', { file: './data/demo.eodn' }, /absolute/],
      ['projects.open', { file: `${dataDir}/../data/demo.eodn` }, /'\.\.'/],
      ['projects.open', { file: '/etc/passwd' }, /\.eodn/],
      ['projects.open', { file: wav }, /\.eodn/],
      ['projects.open', { file: '/dev/zero' }, /\.eodn/],
      ['projects.open', { file: link }, /not a file/],
      ['projects.open', { file: folder }, /not a file/],
      ['projects.open', { file: join(dir, 'absent.eodn') }, /no project file/],
      ['projects.open', { file: notSqlite }, /./],
      ['projects.open', { file: `${file}\0.txt` }, /NUL/],
      ['projects.create', { name: 'x', file: 'x.eodn' }, /absolute/],
      ['projects.create', { name: 'x', file: `${dir}/a/../x.eodn` }, /'\.\.'/],
      ['projects.create', { name: 'x', file: join(dir, 'x.txt') }, /\.eodn/],
      ['projects.create', { name: 'x', file: join(dir, 'no-such-folder', 'x.eodn') }, /does not exist/],
      ['projects.create', { name: 'x', file: `${join(dir, 'x.eodn')}\0` }, /NUL/],
      ['projects.import', { source: 'clips' }, /absolute/],
      ['projects.import', { source: `${DEMO_CLIPS}/../clips` }, /'\.\.'/],
      ['projects.import', { source: '/dev/zero' }, /folder of audio files or a \.csv/],
      ['projects.import', { source: wav }, /folder of audio files or a \.csv/],
      ['projects.import', { source: fifoLike }, /folder of audio files or a \.csv/],
      ['projects.import', { source: join(dir, 'absent') }, /nothing to import/],
    ];
    for (const [m, args, message] of bad) {
      const err = await expectBadRequest(m, args, `${m} ${JSON.stringify(args)}`);
      expect(err.message).toMatch(message);
    }
    // Creating over an existing file or folder is a conflict, not an overwrite.
    for (const target of [file, folder]) {
      await expect(service.dispatch('projects.create', { name: 'x', file: target })).rejects.toMatchObject({ code: 'conflict' });
    }
    expect(service.currentStore!.file).toBe(file);
    expect(fingerprint()).toBe(before);
    expect(readFileSync(join(dataDir, 'recent-projects.json'), 'utf8')).toBe(recent);
    expect(readdirSync(dir).sort()).toEqual(['data', 'folder.eodn', 'notes.txt', 'text.eodn', 'zero.eodn']);
  });
});

describe('browser mode', () => {
  let server: BrowserServer;
  beforeAll(async () => {
    const staticDir = join(dir, 'static');
    mkdirSync(staticDir);
    writeFileSync(join(staticDir, 'index.html'), '<!doctype html><title>t</title>');
    server = await startBrowserServer({ service, staticDir });
  });
  afterAll(() => server.close());
  const post = (method: string, body: string) =>
    fetch(`${server.origin}/api/${method}`, {
      method: 'POST',
      body,
      headers: { 'content-type': 'application/json', origin: server.origin, 'x-eodn-token': server.token },
    });

  it('answers a JSON bomb with 400 and keeps serving', async () => {
    const before = fingerprint();
    const depth = Math.floor((MAX_REQUEST_BYTES - 100) / 2);
    const arrays = '['.repeat(depth) + ']'.repeat(depth);
    const depthObj = Math.floor((MAX_REQUEST_BYTES - 100) / 12);
    const objects = '{"a":'.repeat(depthObj) + '1' + '}'.repeat(depthObj);
    const nestedArg = `{"offset":0,"limit":10,"filter":${'{"label":'.repeat(depthObj - 10)}"x"${'}'.repeat(depthObj - 10)}}`;
    for (const [method, body] of [
      ['clips.list', arrays],
      ['clips.list', objects],
      ['clips.list', nestedArg],
      ['annotations.addMany', `{"clipIds":${arrays},"action":"accept"}`],
      ['models.train', '{"__proto__":{"polluted":true}}'],
      ['models.train', '{"known":["a","b"],"constructor":{"prototype":{"polluted":true}}}'],
      ['clips.list', '{"offset":0,"limit":1e999}'],
      ['clips.list', '{"offset":-0.5,"limit":10}'],
    ] as const) {
      expect(body.length).toBeLessThanOrEqual(MAX_REQUEST_BYTES);
      const res = await post(method, body);
      expect(res.status, `${method} ${body.slice(0, 40)}`).toBe(400);
      expect(((await res.json()) as { code: string }).code).toBe('bad-request');
    }
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    const ok = await post('clips.list', '{"offset":0,"limit":3}');
    expect(ok.status).toBe(200);
    expect(((await ok.json()) as { result: { total: number } }).result.total).toBe(80);
    expect(fingerprint()).toBe(before);
  });

  it('answers a body over the limit with 413, and a body that is not JSON with 400', async () => {
    const big = await post('clips.list', `{"offset":0,"limit":10,"filter":{"search":"${'x'.repeat(MAX_REQUEST_BYTES)}"}}`);
    expect(big.status).toBe(413);
    expect((await post('clips.list', '{"offset":0,')).status).toBe(400);
    expect((await post('app.info', '{}')).status).toBe(200);
  });
});
