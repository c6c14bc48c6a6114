// Review's votes (issue 14): each annotator's standing answer as "annotator: label", the step of the rule that
// decided the clip (adjudicated, else majority, else unresolved), and blind review leaving only one's own vote.
import { cleanup, render, screen } from '@testing-library/svelte';
import { afterEach, describe, expect, it } from 'vitest';
import type { ClipVotes } from '../../shared/api';
import VotesPanel from '../../src-renderer/components/VotesPanel.svelte';
import { BLIND_OFF, BLIND_REVIEW_KEY, loadBlindReview, saveBlindReview } from '../../src-renderer/lib/blind-review';
import { ruleLine } from '../../src-renderer/lib/votes-view';

afterEach(cleanup);

const votes = (over: Partial<ClipVotes> = {}): ClipVotes => ({
  clipId: 7,
  votes: [
    { annotator: 'ada', label: 'anger' },
    { annotator: 'bob', label: 'sadness' },
    { annotator: 'carol', label: 'anger' },
  ],
  adjudication: null,
  rule: 'majority',
  label: 'anger',
  disagreement: true,
  ...over,
});

const shownVotes = () => screen.queryAllByTestId('vote').map((li) => li.textContent!.replace(/\s+/g, ' ').trim());

describe('VotesPanel', () => {
  it('shows every vote and the majority', () => {
    render(VotesPanel, { votes: votes(), me: 'ada' });
    expect(shownVotes()).toEqual(['ada (you): anger', 'bob: sadness', 'carol: anger']);
    expect(screen.getByTestId('votes-rule').textContent).toBe('Majority: anger (2 of 3 votes)');
    expect(screen.getByTestId('votes-panel').dataset.rule).toBe('majority');
  });

  it('says when the votes are tied, and who adjudicated', () => {
    render(VotesPanel, { votes: votes({ votes: votes().votes.slice(0, 2), rule: 'unresolved', label: null }), me: 'x', adjudicating: true });
    expect(screen.getByTestId('votes-rule').textContent).toMatch(/^Unresolved: the votes are tied/);
    expect(screen.getByText(/Your answer here is an adjudication/)).toBeTruthy();
    cleanup();
    render(VotesPanel, { votes: votes({ rule: 'adjudicated', label: 'sadness', adjudication: { annotator: 'lead', label: 'sadness' } }), me: 'x' });
    expect(screen.getByTestId('votes-rule').textContent).toBe('⚖ Adjudicated by lead: sadness');
  });

  it('under blind review shows only the annotator’s own vote, and not the outcome', () => {
    render(VotesPanel, { votes: votes(), me: 'bob', blind: true });
    expect(shownVotes()).toEqual(['bob (you): sadness']);
    expect(screen.getByTestId('votes-hidden').textContent!.replace(/\s+/g, ' ').trim()).toBe("Blind review: 2 other annotators' labels are hidden.");
    expect(screen.queryByTestId('votes-rule')).toBeNull();
    expect(document.body.textContent).not.toContain('anger');
  });
});

describe('the blind review setting', () => {
  it('is off by default and kept in storage', () => {
    const store = new Map<string, string>();
    const storage = { getItem: (k: string) => store.get(k) ?? null, setItem: (k: string, v: string) => void store.set(k, v) };
    expect(loadBlindReview(storage)).toEqual(BLIND_OFF);
    saveBlindReview({ hideOthers: true, hideModel: true }, storage);
    expect(JSON.parse(store.get(BLIND_REVIEW_KEY)!)).toEqual({ hideOthers: true, hideModel: true });
    expect(loadBlindReview(storage)).toEqual({ hideOthers: true, hideModel: true });
    store.set(BLIND_REVIEW_KEY, '{not json');
    expect(loadBlindReview(storage)).toEqual(BLIND_OFF);
  });

  it('names each step of the rule', () => {
    expect(ruleLine(votes({ rule: 'single', votes: [{ annotator: 'a', label: 'x' }] }))).toBe('One annotator: their answer');
    expect(ruleLine(votes({ rule: 'none', votes: [] }))).toBe('No answer yet');
  });
});
