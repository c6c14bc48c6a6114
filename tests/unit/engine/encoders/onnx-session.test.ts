import { describe, expect, it } from 'vitest';
import { speechEmbeddingModels } from '../../../../src-main/engine/encoders/model-paths';
import { createOnnxSession, providerFailureReason } from '../../../../src-main/engine/encoders/onnx-session';

// Messages as onnxruntime-node 1.30 gives them (WebGPU without a usable adapter; CUDA without its libraries).
const WEBGPU_NO_ADAPTER =
  '/onnxruntime_src/onnxruntime/core/providers/webgpu/webgpu_context.cc:136 onnxruntime::webgpu::WebGpuContext::Initialize(const onnxruntime::webgpu::WebGpuContextConfig&)::<lambda()> adapter_result.status == wgpu::RequestAdapterStatus::Success was false. Failed to get a WebGPU adapter: No supported adapters\n';
const CUDA_MISSING = 'OrtSessionOptionsAppendExecutionProvider_Cuda: Failed to load shared library';

describe('providerFailureReason', () => {
  it("keeps the reason after ONNX Runtime's source location and failed check", () => {
    expect(providerFailureReason(new Error(WEBGPU_NO_ADAPTER))).toBe('Failed to get a WebGPU adapter: No supported adapters');
  });

  it('leaves plain messages as they are, on one line of at most 300 characters', () => {
    expect(providerFailureReason(new Error(CUDA_MISSING))).toBe(CUDA_MISSING);
    expect(providerFailureReason('first line\nsecond')).toBe('first line');
    expect(providerFailureReason('x'.repeat(400))).toHaveLength(300);
  });

  it('drops a bare source location', () => {
    expect(providerFailureReason('/src/a/b.cc:12 something broke')).toBe('something broke');
  });
});

describe('createOnnxSession with a GPU request', () => {
  it('runs on some provider and says why each one before it failed, without source paths', async () => {
    const { session, execution } = await createOnnxSession(speechEmbeddingModels().melspectrogram, { device: 'gpu', threads: 1 });
    try {
      expect(execution.requested).toBe('gpu');
      expect(['cuda', 'webgpu', 'cpu']).toContain(execution.provider);
      // Every provider tried before the one in use left one reason (this machine: no CUDA libraries; WebGPU
      // without a GPU finds no adapter). None of the reasons is ONNX Runtime's source location.
      const tried = ['cuda', 'webgpu'].slice(0, execution.provider === 'cpu' ? 2 : ['cuda', 'webgpu'].indexOf(execution.provider));
      expect(execution.fallbacks.map((f) => f.split(':')[0])).toEqual(tried);
      for (const f of execution.fallbacks) {
        expect(f).not.toMatch(/\.cc:\d+/);
        expect(f.length).toBeGreaterThan('webgpu: '.length);
      }
    } finally {
      await session.release();
    }
  });
});
