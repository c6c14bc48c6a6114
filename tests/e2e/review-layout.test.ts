// Review's layout (issue 18, item 7): at 1440×900 the "why" — the decision panel (p1, p2, η, μ, δ, the reason)
// and the PAD plot — sits beside the waveform and is in sight without scrolling; under 1100 px it stacks below
// the waveform. Screenshots: docs/screenshots/review.png (1440×900) and review-narrow.png (1000×900).
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStudioPage, type StudioPage } from './studio';

let session: StudioPage;
let page: Page;
let problems: string[];

beforeAll(async () => {
  session = await openStudioPage({ hideGuide: true });
  ({ page, problems } = session);
  await page.setViewportSize({ width: 1440, height: 900 });
});

afterAll(() => session?.close());

type Box = { x: number; y: number; width: number; height: number };
const box = async (testid: string): Promise<Box> => (await page.getByTestId(testid).first().boundingBox())!;

/** The review pane's visible rectangle (it scrolls on its own), its scroll offsets and whether anything overflows sideways. */
const pane = () =>
  page.locator('section.main').evaluate((el) => {
    const r = el.getBoundingClientRect();
    return { top: r.top, bottom: r.top + el.clientHeight, left: r.left, right: r.left + el.clientWidth, scrollTop: el.scrollTop, sideways: el.scrollWidth > el.clientWidth };
  });

/** Waits for a clip with its decision, its waveform and its PAD plot drawn. */
async function clipShown() {
  await expect.poll(() => page.getByTestId('decision-panel').count(), { timeout: 120_000 }).toBe(1);
  await expect.poll(() => page.getByTestId('waveform').getAttribute('data-ready'), { timeout: 20_000 }).toBe('true');
  await expect.poll(() => page.getByTestId('pad-plot').getAttribute('data-status'), { timeout: 30_000 }).toBe('ready');
}

describe('Review layout', () => {
  it('at 1440×900 shows the decision panel and the PAD plot beside the waveform, without scrolling', async () => {
    await page.getByTestId('tab-review').click();
    await clipShown();
    const view = pane();
    const wave = await box('waveform');
    const v = await view;
    expect(v.scrollTop).toBe(0);
    expect(v.sideways).toBe(false);
    expect(await page.evaluate(() => document.scrollingElement!.scrollHeight <= innerHeight)).toBe(true);
    // The reason and the margin against δ are part of the "why": all of it in sight, right of the waveform.
    for (const id of ['decision-panel', 'decision-reason', 'decision-margin', 'pad-plot']) {
      const b = await box(id);
      expect(b.x, id).toBeGreaterThanOrEqual(wave.x + wave.width);
      expect(b.y, id).toBeGreaterThanOrEqual(v.top);
      expect(b.y + b.height, id).toBeLessThanOrEqual(Math.min(v.bottom, 900));
      expect(b.x + b.width, id).toBeLessThanOrEqual(Math.min(v.right, 1440));
    }
    // Nothing in the decision panel is cut off sideways (the probability rows and the detectors' table).
    expect(await page.getByTestId('decision-panel').evaluate((el) => el.scrollWidth <= el.clientWidth)).toBe(true);
    await session.shot('review.png');
  });

  it('under 1100 px stacks them below the waveform', async () => {
    await page.setViewportSize({ width: 1000, height: 900 });
    const wave = await box('waveform');
    await expect.poll(async () => (await box('decision-panel')).y).toBeGreaterThanOrEqual(wave.y + wave.height);
    const decision = await box('decision-panel');
    const pad = await box('pad-plot');
    expect(pad.y).toBeGreaterThanOrEqual(decision.y + decision.height);
    expect((await pane()).sideways).toBe(false);
    expect(await page.getByTestId('decision-panel').evaluate((el) => el.scrollWidth <= el.clientWidth)).toBe(true);
    // The narrow screenshot shows the stack: the waveform's controls above, the decision panel below.
    await page.getByTestId('decision-panel').evaluate((el) => el.scrollIntoView({ block: 'end' }));
    await expect.poll(() => page.getByTestId('pad-plot').getAttribute('data-status')).toBe('ready');
    await session.shot('review-narrow.png');
    expect(problems).toEqual([]);
  });
});
