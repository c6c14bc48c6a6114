// StudioApi: the one contract between the renderer and the main process.
// Every method has a valibot schema for its arguments (validated in main before any handler runs, whatever
// the transport) and a result type. Main implements it once (src-main/api); the renderer reaches it through
// Electron IPC (preload) or the token-guarded loopback transport (browser mode).
import * as v from 'valibot';
import type { Clip, ClipRow, JobProgress, ProjectInfo } from './domain';

const id = v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(Number.MAX_SAFE_INTEGER));
const shortText = v.pipe(v.string(), v.maxLength(200));

export const ClipFilterSchema = v.strictObject({
  label: v.optional(shortText),
  decision: v.optional(v.picklist(['accepted', 'ambiguous-accepted', 'ambiguous-unknown', 'unknown'] as const)),
  reviewed: v.optional(v.boolean()),
  speaker: v.optional(shortText),
  minConfidence: v.optional(v.pipe(v.number(), v.minValue(0), v.maxValue(1))),
  maxConfidence: v.optional(v.pipe(v.number(), v.minValue(0), v.maxValue(1))),
  search: v.optional(shortText),
});

export const ClipSortSchema = v.strictObject({
  by: v.picklist(['name', 'duration', 'confidence', 'label', 'speaker'] as const),
  dir: v.picklist(['asc', 'desc'] as const),
});

/** Argument schemas, one per method. The keys are the method names on every transport. */
export const methodSchemas = {
  'app.info': v.strictObject({}),
  'project.current': v.strictObject({}),
  'clips.list': v.strictObject({
    offset: v.pipe(v.number(), v.integer(), v.minValue(0)),
    limit: v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(5000)),
    filter: v.optional(ClipFilterSchema),
    sort: v.optional(ClipSortSchema),
  }),
  'clips.get': v.strictObject({ id }),
} as const;

export type ClipFilter = v.InferOutput<typeof ClipFilterSchema>;
export type ClipSort = v.InferOutput<typeof ClipSortSchema>;

export type ExecutionProvider = 'cpu' | 'cuda' | 'webgpu';

export interface AppInfo {
  name: string;
  version: string;
  transport: 'electron' | 'browser';
  /** Where projects live by default (the user's data folder). */
  dataDir: string;
  executionProvider: ExecutionProvider;
}

/** Result type of every method. */
export interface MethodResults {
  'app.info': AppInfo;
  'project.current': ProjectInfo | null;
  'clips.list': { rows: ClipRow[]; total: number };
  'clips.get': Clip;
}

export type Method = keyof typeof methodSchemas;
export type MethodArgs<M extends Method> = v.InferInput<(typeof methodSchemas)[M]>;
export type MethodResult<M extends Method> = MethodResults[M];

/** Events main pushes to the renderer. */
export interface StudioEvents {
  'job.progress': JobProgress;
  'project.changed': ProjectInfo;
}
export type StudioEvent = keyof StudioEvents;

/** The renderer's view of the API, identical on both transports. */
export interface StudioApi {
  call<M extends Method>(method: M, args: MethodArgs<M>): Promise<MethodResult<M>>;
  on<E extends StudioEvent>(event: E, listener: (payload: StudioEvents[E]) => void): () => void;
  /** A URL the renderer can give an <audio> element or wavesurfer for this clip. */
  audioUrl(clipId: number): string;
}

export type ApiErrorCode = 'bad-request' | 'not-found' | 'no-project' | 'conflict' | 'internal';

/** The error shape every transport carries back; thrown in the renderer as ApiError. */
export interface ApiErrorBody {
  code: ApiErrorCode;
  message: string;
}

export class ApiError extends Error {
  constructor(
    readonly code: ApiErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

export function isMethod(name: unknown): name is Method {
  return typeof name === 'string' && Object.prototype.hasOwnProperty.call(methodSchemas, name);
}

/** Validates raw arguments for a method; throws ApiError('bad-request') naming the first problem. */
export function parseArgs<M extends Method>(method: M, raw: unknown): v.InferOutput<(typeof methodSchemas)[M]> {
  const result = v.safeParse(methodSchemas[method], raw);
  if (!result.success) {
    const issue = result.issues[0];
    const where = issue.path?.map((p) => String(p.key)).join('.') || 'arguments';
    throw new ApiError('bad-request', `${method}: ${where}: ${issue.message}`);
  }
  return result.output as v.InferOutput<(typeof methodSchemas)[M]>;
}

/** Largest request body either transport accepts. */
export const MAX_REQUEST_BYTES = 1_000_000;
