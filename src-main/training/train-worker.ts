// Worker thread entry of a training or fine-tuning job: opens the project (its own connection; WAL lets the
// main process keep reading and writing), runs the pipeline, writes the version and the job's state.
// Cancelling: the host sets a shared flag that the pipeline polls between mini-batches (a message could not
// arrive while training runs synchronously) and also posts 'cancel', which aborts the embedding stage.
import { parentPort, workerData } from 'node:worker_threads';
import { addClassAndFinetune, CancelledError, trainModel, type PipelineProgress } from '../pipeline';
import { applyThresholds } from '../pipeline/rethreshold-version';
import { ProjectStore } from '../store/project-store';
import type { TrainHostToWorker, TrainJobRequest, TrainJobResult, TrainWorkerData, TrainWorkerToHost } from './train-protocol';

const port = parentPort;
if (!port) throw new Error('train-worker must run in a worker thread');

const data = workerData as TrainWorkerData;
const flag = new Int32Array(data.cancelFlag);
const controller = new AbortController();
const isCancelled = () => Atomics.load(flag, 0) === 1;
const post = (m: TrainWorkerToHost) => port.postMessage(m);

port.on('message', (m: TrainHostToWorker) => {
  if (m.type === 'cancel') controller.abort();
  else if (m.type === 'start') void run(m.job);
});

/** An injected crash (TrainWorkerData.fault) must escape the job's error handling, like a real bug would. */
class InjectedCrash extends Error {}

let faultCount = 0;
function maybeCrash(p: PipelineProgress): void {
  const f = data.fault;
  if (!f || p.stage !== f.stage || ++faultCount < f.after) return;
  if (f.mode === 'exit') process.exit(70);
  throw new InjectedCrash(`injected crash at ${f.stage} #${f.after}`);
}

async function run(job: TrainJobRequest): Promise<void> {
  let store: ProjectStore | null = null;
  let result: TrainJobResult;
  let lastStage = '';
  try {
    store = ProjectStore.open(job.projectFile);
    store.updateJob(job.jobId, { state: 'running', message: 'starting' });
    const onProgress = (p: PipelineProgress) => {
      maybeCrash(p);
      post({ type: 'progress', progress: p });
      // The job row follows stage changes only: one write per stage, not one per epoch.
      if (p.stage !== lastStage) {
        lastStage = p.stage;
        store!.updateJob(job.jobId, { message: p.message, done: p.done, total: p.total });
      }
    };
    const hooks = { onProgress, signal: controller.signal, shouldAbort: isCancelled };
    if (job.task.kind === 'rethreshold') {
      // One synchronous pass over the stored predictions (≈5 s at 50,000 clips): here it blocks no window.
      onProgress({ stage: 'thresholds', done: 0, total: 1, message: `re-deciding with ε = ${job.task.options.epsilon}, ρ = ${job.task.options.rho}` });
      const { version, preview } = applyThresholds(store, job.task.options);
      store.updateJob(job.jobId, { state: 'done', done: 100, message: `model version ${version.id} (${preview.changed} of ${preview.predicted} clips changed decision)` });
      result = { status: 'completed', versionId: version.id, preview };
    } else {
      const version =
        job.task.kind === 'train'
          ? await trainModel(store, { ...job.task.options, ...hooks })
          : await addClassAndFinetune(store, { ...job.task.options, ...hooks });
      store.updateJob(job.jobId, { state: 'done', message: `model version ${version.id} (${version.classes.length} classes)` });
      result = { status: 'completed', versionId: version.id };
    }
  } catch (e) {
    // Rethrown from an async function nobody awaits: an unhandled rejection, which ends the worker with 'error'.
    if (e instanceof InjectedCrash) throw e;
    const cancelled = e instanceof CancelledError || isCancelled() || controller.signal.aborted;
    result = cancelled ? { status: 'cancelled' } : { status: 'failed', error: (e as Error).message };
    try {
      store?.updateJob(job.jobId, cancelled ? { state: 'cancelled', message: 'cancelled' } : { state: 'failed', error: (e as Error).message, message: 'failed' });
    } catch {
      // The job row is best effort; the host marks the job failed if the worker's answer says so.
    }
  } finally {
    store?.close();
  }
  post({ type: 'done', result });
}
