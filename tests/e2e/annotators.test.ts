// Several annotators, end to end in Chromium (issue 14): on a fresh data folder the studio asks who is
// annotating, the status bar shows the name, an answer in Review is recorded under it (the Library's annotator
// filter finds the clip), and the Agreement view says that one annotator is not enough.
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStudioPage, type StudioPage } from './studio';

let session: StudioPage;
let page: Page;

beforeAll(async () => {
  session = await openStudioPage({ hideGuide: true, annotator: null });
  page = session.page;
});
afterAll(() => session?.close());

describe('annotator identity', () => {
  it('asks for a name once, shows it, and records answers under it', async () => {
    await expect.poll(() => page.getByTestId('annotator-dialog').count(), { timeout: 20_000 }).toBe(1);
    await page.getByTestId('annotator-name').fill('Ada');
    await page.getByTestId('annotator-save').click();
    await expect.poll(() => page.getByTestId('annotator-dialog').count()).toBe(0);
    expect(await page.getByTestId('status-annotator-name').textContent()).toBe('Ada');

    // The demo's first model trains by itself (wait for it: its predictions reorder the queue); then 1 relabels
    // the first clip of the queue.
    await page.getByTestId('tab-models').click();
    await expect.poll(() => page.locator('[data-testid="version-row"][data-version="1"] [data-testid="active-badge"]').count(), { timeout: 120_000 }).toBe(1);
    await page.getByTestId('tab-review').click();
    await expect.poll(() => page.getByTestId('queue-item').count(), { timeout: 120_000 }).toBeGreaterThan(0);
    await expect.poll(() => page.getByTestId('review-title').count(), { timeout: 20_000 }).toBe(1);
    const title = await page.getByTestId('review-title').textContent();
    await page.keyboard.press('1');
    await expect.poll(() => page.getByTestId('review-message').textContent()).toContain(`${title}: relabel →`);

    await page.getByTestId('tab-library').click();
    await expect.poll(() => page.getByTestId('filter-annotator').locator('option').allTextContents()).toEqual(['Any annotator', 'Ada (1)']);
    await page.getByTestId('filter-annotator').selectOption('Ada');
    await expect.poll(() => page.getByTestId('clip-count').textContent()).toMatch(/^1 of \d+ clips$/);

    await page.getByTestId('tab-agreement').click();
    await expect
      .poll(() => page.getByTestId('agreement-too-few').textContent())
      .toBe('Agreement needs answers from at least two annotators; this project has answers from: Ada (1 clip).');
    expect(session.problems).toEqual([]);
  });
});
