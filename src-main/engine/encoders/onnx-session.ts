// ONNX Runtime sessions with execution-provider fallback: a GPU request tries CUDA, then WebGPU, then
// the CPU, and records why each failed (here: no CUDA provider libraries in onnxruntime-node's npm
// tarball; WebGPU finds no adapter without a GPU and a Vulkan driver).
import * as ort from 'onnxruntime-node';
import type { Device, ExecutionInfo } from './types';

export interface OnnxSession {
  session: ort.InferenceSession;
  execution: ExecutionInfo;
}

const GPU_PROVIDERS = ['cuda', 'webgpu'] as const;

export async function createOnnxSession(modelPath: string, opts: { device?: Device; threads?: number } = {}): Promise<OnnxSession> {
  const requested = opts.device ?? 'cpu';
  const base: ort.InferenceSession.SessionOptions = {
    graphOptimizationLevel: 'all',
    ...(opts.threads ? { intraOpNumThreads: opts.threads, interOpNumThreads: 1 } : {}),
  };
  const fallbacks: string[] = [];
  if (requested === 'gpu') {
    for (const provider of GPU_PROVIDERS) {
      try {
        const session = await ort.InferenceSession.create(modelPath, { ...base, executionProviders: [provider] });
        return { session, execution: { requested, provider, fallbacks } };
      } catch (e) {
        fallbacks.push(`${provider}: ${firstLine(e)}`);
      }
    }
  }
  const session = await ort.InferenceSession.create(modelPath, { ...base, executionProviders: ['cpu'] });
  return { session, execution: { requested, provider: 'cpu', fallbacks } };
}

function firstLine(e: unknown): string {
  const msg = e instanceof Error ? e.message : String(e);
  return msg.split('\n')[0].slice(0, 300);
}

export { ort };
