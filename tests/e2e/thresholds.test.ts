// Threshold sliders and batch accept in Chromium on the demo project: moving ε changes the live preview of
// how many clips move between decisions; "Apply as new version" makes version 2 (parent 1) active; batch
// accept previews a count and lists the batch, a label corrected in that list is saved and leaves the batch, the
// rest is committed, and the library then lists exactly the batch's clips as reviewed.
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStudioPage, type StudioPage } from './studio';

let session: StudioPage;
let page: Page;
let problems: string[];

beforeAll(async () => {
  session = await openStudioPage({ hideGuide: false });
  ({ page, problems } = session);
});

afterAll(() => session?.close());

const num = async (testId: string) => Number(await page.getByTestId(testId).textContent());

describe('thresholds and batch accept', () => {
  it('previews ε live and applies it as a new active version', async () => {
    await page.getByTestId('tab-models').click();
    await expect.poll(() => page.getByTestId('version-row').count(), { timeout: 90_000 }).toBe(1);
    await expect.poll(() => page.getByTestId('threshold-changed').textContent(), { timeout: 20_000 }).toContain('No clip changes');
    // The status bar names where the first training job computed its embeddings: the default encoder
    // (speech_embedding + functionals) runs its ONNX models on onnxruntime's CPU provider on this machine.
    await expect.poll(() => page.getByTestId('provider').getAttribute('data-provider'), { timeout: 30_000 }).toBe('cpu');
    const unknownBefore = await num('after-unknown');
    const accepted = await num('after-accepted');

    // ε = 1: μ = η, so every clip below η that is not accepted outright becomes unknown.
    await page.getByTestId('epsilon-slider').fill('1');
    await expect.poll(() => page.getByTestId('epsilon-value').textContent()).toBe('1.00');
    await expect.poll(() => num('after-unknown'), { timeout: 10_000 }).toBe(80 - accepted);
    expect(80 - accepted).toBeGreaterThan(unknownBefore);
    await expect.poll(() => page.getByTestId('threshold-changed').textContent()).toMatch(/\d+ of 80 clips change decision/);
    expect(await num('move-accepted-unknown')).toBe(0);

    // ε = 0.9 for the screenshot: a few clips move, most stay.
    await page.getByTestId('epsilon-slider').fill('0.9');
    await expect.poll(() => page.getByTestId('epsilon-value').textContent()).toBe('0.90');
    await expect.poll(() => page.getByTestId('apply-thresholds').isEnabled(), { timeout: 10_000 }).toBe(true);
    const changedText = (await page.getByTestId('threshold-changed').textContent()) ?? '';
    await page.getByTestId('thresholds-panel').scrollIntoViewIfNeeded();
    await session.shot('thresholds.png');

    await page.getByTestId('apply-thresholds').click();
    await expect.poll(() => page.getByTestId('version-row').count(), { timeout: 20_000 }).toBe(2);
    await expect.poll(() => page.locator('[data-testid="version-row"][data-version="2"] [data-testid="active-badge"]').count()).toBe(1);
    await expect.poll(() => page.locator('[data-testid="version-row"][data-version="2"]').textContent()).toContain('from #1');
    // The new version is selected, at its own ε: nothing would change any more.
    await expect.poll(() => page.getByTestId('epsilon-value').textContent()).toBe('0.90');
    await expect.poll(() => page.getByTestId('threshold-changed').textContent()).toContain('No clip changes');
    expect(changedText).toMatch(/change decision|No clip changes/);
  });

  it('batch accepts with a preview; the library shows those clips reviewed', async () => {
    await page.getByTestId('tab-review').click();
    await page.getByTestId('batch-accept').click();
    await expect.poll(() => page.getByTestId('batch-count').textContent(), { timeout: 10_000 }).toMatch(/^\s*\d+ clips? would be accepted/);
    // Both kinds are ticked at the simulator's bars; the ambiguous bar stays at 0.60 while the accepted one moves.
    await expect.poll(() => page.getByTestId('batch-count').getAttribute('data-for'), { timeout: 10_000 }).toBe('0.90|0.60');
    const at = async (c: string) => {
      await page.getByTestId('batch-confidence').fill(c);
      // The debounced dry run for this very value has landed.
      await expect.poll(() => page.getByTestId('batch-count').getAttribute('data-for'), { timeout: 10_000 }).toBe(`${Number(c).toFixed(2)}|0.60`);
      return Number(/(\d+)/.exec((await page.getByTestId('batch-count').textContent()) ?? '')![1]);
    };
    const strict = await at('1');
    const loose = await at('0.3');
    expect(loose).toBeGreaterThan(0);
    expect(loose).toBeGreaterThanOrEqual(strict);
    // The batch is listed to be heard and corrected: correcting its least confident clip saves that answer and
    // takes the clip out of the batch.
    await expect.poll(() => page.getByTestId('batch-item').count(), { timeout: 10_000 }).toBe(loose);
    const fix = page.getByTestId('batch-correct').first();
    await expect.poll(() => fix.locator('option').count()).toBeGreaterThan(1);
    await fix.selectOption({ index: 1 });
    await expect.poll(() => page.getByTestId('batch-corrected').count(), { timeout: 10_000 }).toBe(1);
    await expect.poll(() => page.getByTestId('batch-count').textContent(), { timeout: 10_000 }).toMatch(new RegExp(`^\\s*${loose - 1} clips? would be accepted`));
    await session.shot('batch-accept.png');
    await page.getByTestId('batch-confirm').click();
    await expect.poll(() => page.getByTestId('batch-dialog').count()).toBe(0);
    await expect.poll(() => page.getByTestId('review-message').textContent()).toContain(`on ${loose - 1} clip`);
    expect(await page.getByTestId('review-message').textContent()).toContain('corrected 1');
    // The accepted clips are answers too: Review suggests training a model on them (the loop re-trains after a batch).
    expect(Number(loose)).toBeGreaterThanOrEqual(5);
    await expect.poll(() => page.getByTestId('retrain-hint').textContent()).toContain(`${loose} answers since this model was trained`);

    await page.getByTestId('tab-library').click();
    await page.getByLabel('Filter by review').selectOption('yes');
    await expect.poll(() => page.getByTestId('clip-count').textContent(), { timeout: 10_000 }).toBe(`${loose} of 80 clips`);
    expect(problems).toEqual([]);
  });
});
