// Discover and Train, end to end in Chromium on the demo project: the first model trains by itself; Discover
// shows groups of its unknown clips with suggested words and majority shares; a clip taken out of a group
// ("not like the others") does not join the class created from it; a class is created from one group under a name
// the annotator types; the Train view shows the fine-tuning's curves and the new version's forgetting
// numbers; Models shows version 2 active with 6 classes, and version 1 is activated again (rollback).
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStudioPage, type StudioPage } from './studio';

let session: StudioPage;
let page: Page;
let problems: string[];
// The clip taken out of its group before the class is created.
let takenOut = '';

beforeAll(async () => {
  session = await openStudioPage({ hideGuide: true });
  ({ page, problems } = session);
});

afterAll(() => session?.close());

const shot = (name: string) => session.shot(name);
const row = (v: number) => page.locator(`[data-testid="version-row"][data-version="${v}"]`);

describe('discover and train', () => {
  it('waits for the first model', async () => {
    await page.getByTestId('tab-models').click();
    await expect.poll(() => row(1).getByTestId('active-badge').count(), { timeout: 90_000 }).toBe(1);
  });

  it('shows clusters of the unknown clips with suggested words, and plays a member', async () => {
    await page.getByTestId('tab-discover').click();
    await expect.poll(() => page.getByTestId('cluster').count(), { timeout: 30_000 }).toBeGreaterThanOrEqual(1);
    const summary = await page.getByTestId('discover-summary').textContent();
    expect(summary).toMatch(/\d+ clips grouped from model #1/);
    // The name field starts with the selected cluster's top word.
    const topWord = await page.getByTestId('cluster').first().locator('.word.top').textContent();
    await expect.poll(() => page.getByTestId('class-name').inputValue()).toBe(topWord);
    const n = await page.getByTestId('member').count();
    expect(n).toBeGreaterThan(0);
    await expect.poll(() => page.getByTestId('create-class').textContent()).toContain(`from these ${n} clips`);

    // J moves to the next clip; its waveform loads.
    await page.keyboard.press('j');
    await expect.poll(() => page.locator('.members li.current [data-testid="member"]').textContent()).toBe(await page.getByTestId('member').nth(1).textContent());
    await expect.poll(() => page.getByTestId('waveform').getAttribute('data-ready'), { timeout: 20_000 }).toBe('true');
    await page.getByTestId('play-member').first().click();
    await expect.poll(() => page.getByTestId('play-member').first().textContent()).toBe('❚❚');
    await page.getByTestId('play-member').first().click();
    await expect.poll(() => page.getByTestId('pad-plot').getAttribute('data-status'), { timeout: 30_000 }).toBe('ready');
    await shot('discover.png');
  });

  it('refuses a name the model already has', async () => {
    await page.getByTestId('class-name').fill('anger');
    await expect.poll(() => page.getByTestId('create-class').isDisabled()).toBe(true);
  });

  it('says when the name is a class of the project the model does not know: the clips join it', async () => {
    // disgust is imported on the demo and left out of model #1 (issue 18: fear clips became disgust unsaid).
    await page.getByTestId('class-name').fill('Disgust');
    await expect.poll(() => page.getByTestId('class-exists').textContent()).toBe('“disgust” exists: the clips will be added to it.');
    await page.getByTestId('create-class').click();
    const lines = await page.getByTestId('create-plan-line').allTextContents();
    expect(lines[0]).toBe('“disgust” exists: the clips will be added to it.');
    expect(await page.getByTestId('create-confirm-yes').textContent()).toMatch(/^Add \d+ clips to “disgust”$/);
    // Cancel: nothing changes.
    await page.getByTestId('create-confirm-no').click();
    await expect.poll(() => page.getByTestId('create-confirm').count()).toBe(0);
    expect(await page.getByTestId('tab-discover').getAttribute('aria-current')).toBe('page');
  });

  it('sends clips to no class until one is chosen', async () => {
    expect(await page.getByTestId('send-target').inputValue()).toBe('');
    expect(await page.getByTestId('send-to').isDisabled()).toBe(true);
  });

  it('prints each group\'s majority share, and takes a clip that is not like the others out of its group', async () => {
    // The demo's clips carry imported labels: every card says which one dominates and how strongly.
    await expect.poll(() => page.getByTestId('majority').count()).toBe(await page.getByTestId('cluster').count());
    expect(await page.getByTestId('majority').first().textContent()).toMatch(/^mostly \S+: \d+ of \d+ \(\d+ %\)$/);
    await page.getByTestId('cluster').first().click();
    await page.keyboard.press('j');
    takenOut = (await page.locator('.members li.current [data-testid="member"]').textContent())!;
    await page.keyboard.press('o');
    await expect.poll(() => page.getByTestId('discover-message').textContent()).toContain(`${takenOut} taken out of group`);
    // Wherever the groups were made again, what is shown next does not offer the clip for the new class:
    // it is in another list, or left unchecked.
    const members = await page.getByTestId('member').allTextContents();
    expect(members.length).toBeGreaterThan(0);
    const at = members.indexOf(takenOut);
    if (at >= 0) expect(await page.locator('.members li').nth(at).locator('input[type="checkbox"]').isChecked()).toBe(false);
  });

  it('creates a class from the cluster, fine-tunes it with live curves and shows forgetting', async () => {
    await page.getByTestId('class-name').fill('Fearful');
    const n = await page.getByTestId('member').count();
    // Before it acts, it says what will change and asks once (issue 18): how many clips get the label, and
    // which of them had another one.
    const labelled = (await page.locator('.members .label-chip').allTextContents()).filter((l) => l !== 'unlabelled' && l !== 'Fearful').length;
    await page.getByTestId('create-class').click();
    await expect.poll(() => page.getByTestId('create-confirm').count()).toBe(1);
    expect(await page.getByTestId('train-title').count()).toBe(0);
    const lines = await page.getByTestId('create-plan-line').allTextContents();
    expect(lines[0]).toBe(`${n} clips get the label “Fearful”.`);
    expect(lines[1]).toMatch(labelled ? new RegExp(`^${labelled} of them had another label`) : /^None of them/);
    expect(await page.locator('[data-testid="create-relabelled"] li').count()).toBe(labelled);
    await page.getByTestId('create-confirm-yes').click();
    await expect.poll(() => page.getByTestId('train-title').textContent()).toBe(`Fine-tuning “Fearful” from ${n} clips`);
    await expect.poll(() => page.getByTestId('train-state').textContent(), { timeout: 90_000 }).toBe('Done');
    // Both heads are fine-tuned, each drawn on its own over its own 60 epochs (issue 18).
    await expect.poll(() => page.getByTestId('training-chart').getAttribute('data-fits')).toBe('2');
    await expect.poll(() => page.getByTestId('training-chart').getAttribute('data-epochs')).toBe('120');
    await expect.poll(() => page.getByTestId('training-chart').getAttribute('data-status'), { timeout: 30_000 }).toBe('ready');
    await expect.poll(() => page.getByTestId('epoch-readout').textContent()).toMatch(/Fine-tuning the detection head: epoch 60 of 60 · loss \d\.\d{4} · training accuracy \d+\.\d %/);
    expect(await page.getByTestId('epoch-readout').textContent()).toMatch(/Fine-tuning the label head: epoch 60 of 60 · loss \d\.\d{4}/);
    await expect.poll(() => page.getByTestId('forgetting').textContent(), { timeout: 10_000 }).toMatch(/\d+\.\d % → \d+\.\d %/);
    expect(await page.getByTestId('new-class-accuracy').textContent()).toContain(`of its ${n} clips`);
    await shot('train.png');
  });

  it('shows version 2 active with 6 classes in Models, and rolls back to 1', async () => {
    await page.getByTestId('open-models').click();
    await expect.poll(() => page.getByTestId('version-row').count()).toBe(2);
    await expect.poll(() => row(2).getByTestId('active-badge').count()).toBe(1);
    await expect.poll(() => row(2).locator('td').nth(2).textContent()).toBe('6');
    await row(2).click();
    await expect.poll(() => page.getByTestId('thresholds').locator('tbody tr').count()).toBe(6);

    await row(1).getByTestId('activate').click();
    await expect.poll(() => row(1).getByTestId('active-badge').count()).toBe(1);
    await expect.poll(() => row(2).getByTestId('activate').count()).toBe(1);
    expect(problems).toEqual([]);
  });

  it('left the clip taken out of the group out of the new class', async () => {
    await page.getByTestId('tab-library').click();
    await page.getByLabel('Search clips').fill(takenOut);
    const row = page.locator('.row', { hasText: takenOut });
    await expect.poll(() => row.count(), { timeout: 10_000 }).toBe(1);
    expect(await row.locator('.label-chip').textContent()).not.toBe('Fearful');
  });
});
