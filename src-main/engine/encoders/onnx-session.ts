// ONNX Runtime sessions with execution-provider fallback: a GPU request tries CUDA, then WebGPU, then
// the CPU, and records why each failed (here: no CUDA provider libraries in onnxruntime-node's npm
// tarball; WebGPU finds no adapter without a GPU and a Vulkan loader + driver; with them it ran on an H100,
// matching the CPU's vectors to 2e-5).
import * as ort from 'onnxruntime-node';
import { DEFAULT_DEVICE, type Device, type ExecutionInfo } from './types';

export interface OnnxSession {
  session: ort.InferenceSession;
  execution: ExecutionInfo;
}

const GPU_PROVIDERS = ['cuda', 'webgpu'] as const;

/** `model`: a file path, or the graph's bytes (a graph rewritten in memory). */
export async function createOnnxSession(model: string | Uint8Array, opts: { device?: Device; threads?: number } = {}): Promise<OnnxSession> {
  const requested: Device = opts.device ?? DEFAULT_DEVICE;
  const base: ort.InferenceSession.SessionOptions = {
    graphOptimizationLevel: 'all',
    ...(opts.threads ? { intraOpNumThreads: opts.threads, interOpNumThreads: 1 } : {}),
  };
  const fallbacks: string[] = [];
  if (requested === 'gpu') {
    for (const provider of GPU_PROVIDERS) {
      try {
        const session = await createSession(model, { ...base, executionProviders: [provider] });
        return { session, execution: { requested, provider, fallbacks } };
      } catch (e) {
        fallbacks.push(`${provider}: ${providerFailureReason(e)}`);
      }
    }
  }
  const session = await createSession(model, { ...base, executionProviders: ['cpu'] });
  return { session, execution: { requested, provider: 'cpu', fallbacks } };
}

// Two branches for TypeScript only: create() has one overload for a path and one for bytes, and a union fits neither.
const createSession = (model: string | Uint8Array, options: ort.InferenceSession.SessionOptions) =>
  typeof model === 'string' ? ort.InferenceSession.create(model, options) : ort.InferenceSession.create(model, options);

/** The part of a provider's failure a user can act on, on one line of at most 300 characters. ONNX Runtime
 * prefixes C++ failures with the source location, the function signature and the failed check
 * ("…/webgpu_context.cc:136 onnxruntime::webgpu::…<lambda()> status == …Success was false. Failed to get a
 * WebGPU adapter: No supported adapters"): left in, the cap cut the actual reason off. */
export function providerFailureReason(e: unknown): string {
  const msg = (e instanceof Error ? e.message : String(e)).trim();
  const check = /^\S+\.(?:cc|cpp|h):\d+ [^\n]*? was false\.\s*([^]+)$/.exec(msg);
  const reason = check ? check[1] : msg.replace(/^\S+\.(?:cc|cpp|h):\d+ /, '');
  return reason.split('\n')[0].slice(0, 300);
}

export { ort };
