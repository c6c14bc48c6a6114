// The Train dialog with a manifest encoder, in the real studio (issue 15): the manifest's path is typed (browser
// mode has no file picker); a bad manifest is refused in the dialog with the loader's reason and the choices
// kept; a good one trains the first model on the vote distribution with GPU chosen as the embedding device, and
// the status bar names the provider, the clips/s and the encoder of that run, and (no GPU provider here) says
// "GPU asked for, ran on CPU" with the reason.
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toyManifestWriter } from '../fixtures/encoders/toy-manifest';
import { openStudioPage, type StudioPage } from './studio';

let session: StudioPage;
let page: Page;
let problems: string[];

const manifest = toyManifestWriter('toy-e2e');

beforeAll(async () => {
  // The demo opens with no model: the first one is trained here, with the manifest encoder.
  process.env.EODN_DEMO_AUTOTRAIN = '0';
  try {
    session = await openStudioPage({ hideGuide: true });
  } finally {
    delete process.env.EODN_DEMO_AUTOTRAIN;
  }
  ({ page, problems } = session);
});

afterAll(() => session?.close());

describe('Train dialog: a manifest encoder', () => {
  it('refuses a bad manifest in the dialog, then trains with a good one and shows where and how fast it embedded', async () => {
    await page.getByTestId('tab-models').click();
    await page.getByTestId('train').click();
    const dialog = page.getByTestId('train-dialog');
    await expect.poll(() => dialog.getByTestId('train-class').count(), { timeout: 20_000 }).toBe(7);
    for (const name of ['disgust', 'fear']) await dialog.locator(`[data-testid="train-class"][data-class="${name}"]`).uncheck();
    await dialog.getByTestId('train-encoder-manifest').check();
    expect(await dialog.getByTestId('train-confirm').isDisabled()).toBe(true);
    const path = dialog.getByLabel('Encoder manifest');
    await path.fill(manifest('bad.json', { input: 'waveform' }));
    await dialog.getByTestId('train-labels-distribution').check();
    await dialog.getByTestId('train-confirm').click();
    await expect.poll(() => dialog.getByTestId('train-error').textContent(), { timeout: 30_000 }).toContain('input "waveform" is not in the model');
    // Nothing lost: still open, as chosen.
    expect(await dialog.getByTestId('train-encoder-manifest').isChecked()).toBe(true);
    expect(await dialog.getByTestId('train-labels-distribution').isChecked()).toBe(true);
    expect(await dialog.locator('[data-testid="train-class"]:checked').count()).toBe(5);
    expect(problems.every((p) => p.includes('400 (Bad Request)'))).toBe(true);
    problems.length = 0; // that refusal was a 400 the browser logs; nothing after it may fail

    await path.fill(manifest('manifest.json'));
    expect(await dialog.getByTestId('train-device-cpu').isChecked()).toBe(true);
    await dialog.getByTestId('train-device-gpu').check();
    await dialog.getByTestId('train-confirm').click();
    await expect.poll(() => page.getByTestId('train-dialog').count(), { timeout: 30_000 }).toBe(0);
    await expect.poll(() => page.getByTestId('provider-encoder').textContent(), { timeout: 90_000 }).toBe('· toy-e2e');
    expect(await page.getByTestId('provider').textContent()).toBe('CPU (ONNX Runtime)');
    expect(await page.getByTestId('provider-rate').textContent()).toMatch(/^· [\d,.]+ clips\/s$/);
    // This machine has no CUDA libraries and no WebGPU adapter: the GPU asked for fell back, and the studio says why.
    expect(await page.getByTestId('provider-fallback').textContent()).toMatch(/^GPU asked for, ran on CPU: cuda: .+ \| webgpu: .+/);
    expect(await page.getByTestId('status-device').inputValue()).toBe('gpu');
    await expect.poll(() => page.locator('[data-testid="version-row"][data-version="1"]').count(), { timeout: 90_000 }).toBe(1);
    expect(problems).toEqual([]);
  });
});
