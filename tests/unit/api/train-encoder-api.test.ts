// models.train's encoder and label rule (issue 15 items 2-3, issue 14's leftover), through StudioService on the
// demo project: a manifest encoder by the absolute path of its manifest.json is loaded and checked before the
// job starts (the loader `eodn train --encoder` uses), recorded in the version's settings, and its run reported
// with provider, clips/s and encoder; a bad manifest is a bad-request naming what is wrong, with no job row and
// no version written; `labels: 'distribution'` reaches the training and is recorded.
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiError, parseArgs, type AppInfo, type JobProgressEvent, type Method, type MethodResults } from '../../../shared/api';
import { openDemoProject } from '../../../src-main/api/demo-project';
import { StudioService } from '../../../src-main/api/studio-service';
import { toyManifestWriter } from '../../fixtures/encoders/toy-manifest';
import { tempDir } from '../store/helpers';

const manifest = toyManifestWriter('toy-api');
const good = manifest('manifest.json');
const dir = dirname(good);

let service: StudioService;
const progress: JobProgressEvent[] = [];
const call = <T>(m: Method, a: unknown) => service.dispatch(m, a) as Promise<T>;
const jobRows = () => (service.currentStore!.db.prepare('SELECT count(*) AS n FROM jobs').get() as { n: number }).n;

beforeAll(async () => {
  const dataDir = tempDir('eodn-train-encoder-api-');
  service = new StudioService({ transport: 'browser', dataDir, version: 'test' });
  service.on('job.progress', (p) => progress.push(p));
  await openDemoProject(service, dataDir, { autoTrain: false });
}, 120_000);
afterAll(() => service.shutdown());

describe('models.train arguments', () => {
  it('takes a bundled encoder by name or a manifest by path, and the label rule', () => {
    expect(parseArgs('models.train', { encoder: { manifest: '/m/manifest.json' }, labels: 'distribution' })).toEqual({ encoder: { manifest: '/m/manifest.json' }, labels: 'distribution' });
    expect(parseArgs('models.train', { encoder: 'functionals', labels: 'majority' })).toEqual({ encoder: 'functionals', labels: 'majority' });
    const refused: [unknown, RegExp][] = [
      [{ encoder: 'wav2vec' }, /encoder/],
      [{ encoder: { manifest: '' } }, /encoder/],
      [{ encoder: { manifest: '/m.json', extra: 1 } }, /encoder/],
      [{ encoder: { manifest: '/a\0b.json' } }, /encoder/],
      [{ labels: 'soft' }, /labels/],
    ];
    for (const [args, where] of refused) {
      try {
        parseArgs('models.train', args);
        expect.unreachable(`accepted ${JSON.stringify(args)}`);
      } catch (e) {
        expect((e as ApiError).code).toBe('bad-request');
        expect((e as ApiError).message).toMatch(where);
      }
    }
  });
});

describe('models.train with a manifest encoder', () => {
  it('refuses a bad manifest with its error, before any job starts', async () => {
    const before = jobRows();
    const refuse = async (args: unknown, why: RegExp) => {
      const e = (await call('models.train', args).catch((x: unknown) => x)) as ApiError;
      expect(e).toBeInstanceOf(ApiError);
      expect(e.code).toBe('bad-request');
      expect(e.message).toMatch(why);
    };
    await refuse({ encoder: { manifest: 'relative/manifest.json' } }, /must be an absolute path/);
    await refuse({ encoder: { manifest: join(dir, 'encoder.onnx') } }, /must be a \.json file/);
    await refuse({ encoder: { manifest: join(dir, 'missing.json') } }, /encoder manifest refused: .*missing\.json: cannot read manifest/);
    await refuse({ encoder: { manifest: manifest('bad-field.json', { pooling: 'max' }) } }, /not a valid encoder manifest: pooling/);
    await refuse({ encoder: { manifest: manifest('bad-input.json', { input: 'waveform' }) } }, /input "waveform" is not in the model/);
    await refuse({ encoder: { manifest: manifest('bad-model.json', { model: 'nowhere.onnx' }) } }, /cannot load model/);
    expect(jobRows()).toBe(before);
    expect(service.currentStore!.listModelVersions()).toHaveLength(0);
    expect(progress).toHaveLength(0);
  });

  it('trains with it on the vote distribution; the version records both, and the run reports provider, clips/s and encoder', async () => {
    const { jobId } = await call<MethodResults['models.train']>('models.train', {
      known: ['anger', 'boredom', 'neutral', 'sadness'],
      encoder: { manifest: good },
      labels: 'distribution',
    });
    await service.waitForJob(jobId);
    const last = progress.filter((p) => p.jobId === jobId).at(-1)!;
    expect(last).toMatchObject({ state: 'done', versionId: 1 });
    const list = await call<MethodResults['models.list']>('models.list', {});
    expect(list.versions).toHaveLength(1);
    expect(list.versions[0].settings.encoder).toEqual({ kind: 'manifest', manifestPath: good });
    expect(list.versions[0].settings.labels).toBe('distribution');

    const embedded = progress.find((p) => p.jobId === jobId && p.provider);
    expect(embedded).toMatchObject({ stage: 'embed', provider: 'cpu', encoder: 'toy-api' });
    expect(embedded!.clipsPerSec).toBeGreaterThan(0);
    expect(embedded!.message).toMatch(/^embedded 80 clips with toy-api on cpu at [\d.]+ clips\/s$/);
    const info = await call<AppInfo>('app.info', {});
    expect(info.lastProvider).toMatchObject({ provider: 'cpu', encoder: 'toy-api', jobId, kind: 'train' });
  }, 180_000);

  it('records no label rule for the default (majority / adjudicated) and the bundled encoder by name', async () => {
    // The functionals encoder is quick: enough to see what a default training records.
    const { jobId } = await call<MethodResults['models.train']>('models.train', { known: ['anger', 'boredom', 'neutral', 'sadness'], encoder: 'functionals' });
    await service.waitForJob(jobId);
    const v = (await call<MethodResults['models.list']>('models.list', {})).versions.find((x) => x.id === 2)!;
    expect(v.settings.encoder).toEqual({ kind: 'functionals' });
    expect(v.settings).not.toHaveProperty('labels');
  }, 180_000);
});
