// StudioService implements StudioApi once, on the engine, the store and the jobs, knowing no transport.
// Transports call `dispatch(method, rawArgs)`: arguments are validated by the schemas in shared/api.ts
// before any handler runs, and every failure comes back as an ApiError with a code.
import { EventEmitter } from 'node:events';
import path from 'node:path';
import { ApiError, isMethod, type ApiErrorCode, parseArgs, type AppInfo, type Method, type MethodResult, type StudioEvent, type StudioEvents } from '../../shared/api';
import type { ProjectInfo } from '../../shared/domain';
import { StoreError } from '../store/errors';
import { ProjectStore } from '../store/project-store';

export interface StudioServiceOptions {
  transport: AppInfo['transport'];
  dataDir: string;
  version: string;
}

const STORE_ERROR_CODES: Record<StoreError['code'], ApiErrorCode> = {
  'not-sqlite': 'bad-request',
  'not-a-project': 'bad-request',
  'newer-version': 'conflict',
  'needs-migration': 'conflict',
  'not-found': 'not-found',
  exists: 'conflict',
  invalid: 'bad-request',
};

type Handlers = { [M in Method]: (args: ReturnType<typeof parseArgs<M>>) => Promise<MethodResult<M>> | MethodResult<M> };

export class StudioService {
  private store: ProjectStore | null = null;
  private readonly events = new EventEmitter();
  private readonly handlers: Handlers;

  constructor(private readonly options: StudioServiceOptions) {
    this.handlers = {
      'app.info': () => ({
        name: 'E-ODN Studio',
        version: this.options.version,
        transport: this.options.transport,
        dataDir: this.options.dataDir,
        executionProvider: 'cpu',
      }),
      'project.current': () => (this.store ? this.store.info() : null),
      'clips.list': (args) => this.requireStore().listClipRows(args),
      'clips.get': ({ id }) => this.requireStore().getClip(id),
    };
  }

  /** The single entry point of every transport. */
  async dispatch(method: unknown, rawArgs: unknown): Promise<unknown> {
    if (!isMethod(method)) throw new ApiError('bad-request', `unknown method ${JSON.stringify(String(method)).slice(0, 80)}`);
    const args = parseArgs(method, rawArgs ?? {});
    try {
      return await (this.handlers[method] as (a: unknown) => unknown)(args);
    } catch (e) {
      if (e instanceof ApiError) throw e;
      if (e instanceof StoreError) throw new ApiError(STORE_ERROR_CODES[e.code], e.message);
      throw new ApiError('internal', `${method}: ${(e as Error).message}`);
    }
  }

  /** Opens a project file and makes it the current one (closing the previous). */
  openProject(file: string): ProjectInfo {
    const store = ProjectStore.open(path.resolve(file));
    this.store?.close();
    this.store = store;
    const info = store.info();
    this.emit('project.changed', info);
    return info;
  }

  get currentStore(): ProjectStore | null {
    return this.store;
  }

  /** Absolute path of a clip's audio file, only for clips of the open project. */
  clipAudioPath(clipId: number): string {
    try {
      return this.requireStore().getClip(clipId).path;
    } catch (e) {
      if (e instanceof StoreError && e.code === 'not-found') throw new ApiError('not-found', e.message);
      throw e;
    }
  }

  on<E extends StudioEvent>(event: E, listener: (payload: StudioEvents[E]) => void): () => void {
    this.events.on(event, listener);
    return () => this.events.off(event, listener);
  }

  /** Forwards every event to one sink (a transport). */
  onAny(sink: <E extends StudioEvent>(event: E, payload: StudioEvents[E]) => void): () => void {
    const names: StudioEvent[] = ['job.progress', 'project.changed'];
    const offs = names.map((name) => this.on(name, (payload) => sink(name, payload)));
    return () => offs.forEach((off) => off());
  }

  emit<E extends StudioEvent>(event: E, payload: StudioEvents[E]): void {
    this.events.emit(event, payload);
  }

  close(): void {
    this.store?.close();
    this.store = null;
  }

  private requireStore(): ProjectStore {
    if (!this.store) throw new ApiError('no-project', 'no project is open');
    return this.store;
  }
}
