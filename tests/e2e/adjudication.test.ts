// Adjudication, end to end in Chromium (issue 14): three annotators' copies of the demo project with scripted
// answers are merged into the studio's demo through Projects → Merge…, Review's "Disagreements" queue shows the
// clips whose votes differ with each vote, one is adjudicated, its label follows the adjudication, and
// `eodn export` writes it (majority where there is one, no label where the votes are tied) and `eodn check` passes.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importDataset } from '../../src-main/store/import';
import { ProjectStore } from '../../src-main/store/project-store';
import { openStudioPage, ROOT, type StudioPage } from './studio';

const MANIFEST = path.join(ROOT, 'resources', 'demo', 'labels.csv');
let session: StudioPage;
let page: Page;
let tmp: string;
let copies: string[];
/** The first four demo clips by name, and who says what on them. */
let names: string[];
const SCRIPT: Record<string, (string | null)[]> = {
  ada: ['anger', 'happiness', 'neutral', 'boredom'],
  bob: ['anger', 'neutral', 'neutral', 'sadness'],
  carol: ['sadness', null, 'neutral', 'happiness'],
};

beforeAll(async () => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'eodn-adjudication-'));
  // One copy of the demo's audio per annotator, each answered with the store API before the studio starts.
  const base = path.join(tmp, 'base.eodn');
  const store = ProjectStore.create(base, { name: 'copy' });
  await importDataset(store, MANIFEST);
  store.close();
  copies = Object.keys(SCRIPT).map((who) => path.join(tmp, `${who}.eodn`));
  for (const [i, [who, labels]] of Object.entries(SCRIPT).entries()) {
    fs.copyFileSync(base, copies[i]);
    const s = ProjectStore.open(copies[i]);
    const rows = s.listClipRows({ offset: 0, limit: 4, sort: { by: 'name', dir: 'asc' } }).rows;
    names = rows.map((r) => r.name);
    labels.forEach((label, k) => label && s.annotate(rows[k].id, { annotator: who, action: 'relabel', label }));
    s.close();
  }
  session = await openStudioPage({ hideGuide: true, annotator: 'lead' });
  page = session.page;
}, 120_000);
afterAll(async () => {
  await session?.close();
  fs.rmSync(tmp, { recursive: true, force: true });
});

const csvRows = (file: string) => {
  const [header, ...lines] = fs.readFileSync(file, 'utf8').trim().split('\n');
  const cols = header.split(',');
  return lines.map((l) => Object.fromEntries(l.split(',').map((v, i) => [cols[i], v])));
};

describe('adjudication', () => {
  it('merges three copies, adjudicates a disagreement in Review, and exports the adjudicated label', async () => {
    await expect.poll(() => page.getByTestId('project-name').count(), { timeout: 30_000 }).toBe(1);
    await page.getByTestId('project-name').click();
    await page.getByTestId('merge-files').fill(copies.join('\n'));
    await page.getByTestId('merge-start').click();
    await expect.poll(() => page.getByTestId('merge-added').textContent(), { timeout: 20_000 }).toBe('11');

    // The demo's first model trains by itself; Review's Disagreements queue holds clips 1, 2 and 4.
    await page.getByTestId('tab-review').click();
    await expect.poll(() => page.getByTestId('queue-item').count(), { timeout: 120_000 }).toBeGreaterThan(0);
    await page.getByLabel('Review queue').selectOption('disagreements');
    await expect.poll(() => page.getByTestId('queue-count').textContent()).toMatch(/^3 clips in this queue/);
    const item = page.getByTestId('queue-item').filter({ hasText: names[1] });
    await item.click();
    await expect.poll(() => page.getByTestId('review-title').textContent()).toBe(names[1]);
    const votes = async () => (await page.getByTestId('vote').allTextContents()).map((t) => t.replace(/\s+/g, ' ').trim());
    await expect.poll(votes).toEqual(['ada: happiness', 'bob: neutral']);
    expect(await page.getByTestId('votes-rule').textContent()).toMatch(/^Unresolved/);
    expect(await page.getByTestId('current-label').textContent()).toBe('unlabelled');

    await page.locator('button.relabel', { hasText: 'happiness' }).click();
    await expect.poll(() => page.getByTestId('review-message').textContent()).toBe(`${names[1]}: adjudicated → happiness`);
    await item.click();
    await expect.poll(() => page.getByTestId('votes-rule').textContent()).toBe('⚖ Adjudicated by lead: happiness');
    expect(await page.getByTestId('current-label').textContent()).toBe('happiness');
    await expect.poll(() => page.getByTestId('queue-adjudicated').count()).toBe(1);
    expect(await page.getByTestId('next-unreviewed').textContent()).toContain('Next to adjudicate');
    await session.shot('adjudication.png');

    // Blind review hides the votes and the model's suggestion.
    await page.getByTestId('blind-others').check();
    await page.getByTestId('blind-model').check();
    expect(await page.getByTestId('vote').count()).toBe(0);
    expect(await page.getByTestId('current-label').textContent()).toBe('hidden');
    expect(await page.getByTestId('model-hidden').count()).toBe(1);
    await page.getByTestId('blind-others').uncheck();
    await page.getByTestId('blind-model').uncheck();

    const project = path.join(session.studio.dataDir, 'projects', 'emodb-demo.eodn');
    const out = path.join(tmp, 'labels.csv');
    const eodn = (...args: string[]) => execFileSync(process.execPath, [path.join(ROOT, 'bin', 'eodn.cjs'), ...args], { encoding: 'utf8' });
    eodn('export', project, '--format', 'csv', '--out', out);
    const byName = new Map(csvRows(out).map((r) => [r.name, r]));
    // Majority, adjudicated, agreed, tied (unresolved: no label).
    expect(names.map((n) => byName.get(n)?.label)).toEqual(['anger', 'happiness', 'neutral', '']);
    expect(byName.get(names[1])?.annotator).toBe('lead');
    // Every vote and the vote distribution go out with the labels (JSON Lines: real objects).
    const jsonl = path.join(tmp, 'labels.jsonl');
    eodn('export', project, '--format', 'jsonl', '--out', jsonl);
    const rows = new Map(fs.readFileSync(jsonl, 'utf8').trim().split('\n').map((l) => JSON.parse(l)).map((r) => [r.name, r]));
    expect(rows.get(names[0])).toMatchObject({ votes: { ada: 'anger', bob: 'anger', carol: 'sadness' }, label_rule: 'majority' });
    expect(rows.get(names[0]).vote_distribution.anger).toBeCloseTo(2 / 3);
    expect(rows.get(names[1])).toMatchObject({ votes: { ada: 'happiness', bob: 'neutral' }, label_rule: 'adjudicated', label: 'happiness' });
    expect(rows.get(names[3])).toMatchObject({ label_rule: 'unresolved' });
    // The agreement of the three annotators on the merged project (the adjudication is not a vote).
    const agreement = JSON.parse(eodn('agreement', project, '--json'));
    expect(agreement.annotators).toEqual(['ada', 'bob', 'carol']);
    expect(Number.isFinite(agreement.krippendorff_alpha.nominal)).toBe(true);
    expect(Number.isFinite(agreement.fleiss_kappa)).toBe(true);
    expect(eodn('check', project)).toMatch(/: ok$/m);
    expect(session.problems).toEqual([]);
  });
});
