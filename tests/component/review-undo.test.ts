// Review's undo and refused keys (issue 18, items 1 and 6): U takes back the last answer of the session even
// after the queue moved on, messages name the file, and A / R on an unknown clip say why and what to press.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { afterUndo, isNothingToUndo, nothingToUndoMessage, refusedAnswerMessage, undoneMessage, undoTarget } from '../../src-renderer/lib/review-undo';

const a = { clipId: 7, name: '03a01Fa.wav' };
const b = { clipId: 9, name: '03a01Nc.wav' };
const keys = { relabelFirst: '1', relabelLast: '5', newClass: 'N' };

describe('review undo', () => {
  it('targets the last clip answered in this session, not the clip the queue moved on to', () => {
    expect(undoTarget([a], b)).toEqual(a);
    expect(undoTarget([a, b], { clipId: 11, name: 'x.wav' })).toEqual(b);
    // Nothing answered in this session: the clip on screen.
    expect(undoTarget([], b)).toEqual(b);
    expect(undoTarget([], null)).toBeNull();
  });

  it('pops the undone clip so a second U goes further back', () => {
    const stack = [a, b, a];
    expect(afterUndo(stack, 7)).toEqual([a, b]);
    expect(undoTarget(afterUndo(afterUndo(stack, 7), 9), null)).toEqual(a);
    expect(afterUndo([a], 42)).toEqual([a]);
  });

  it('names the file, never the internal clip id', () => {
    expect(undoneMessage(a.name)).toBe('Undid the last answer on 03a01Fa.wav');
    expect(nothingToUndoMessage(a.name)).toContain('03a01Fa.wav');
    expect(nothingToUndoMessage(a.name)).not.toMatch(/clip \d+/);
    // The store's refusal is recognised, and no longer carries the id.
    expect(isNothingToUndo('nothing to undo: the clip has no answer left to take back')).toBe(true);
    const store = readFileSync(path.resolve(__dirname, '../../src-main/store/annotations.ts'), 'utf8');
    expect(store).not.toMatch(/clip \$\{clipId\}: nothing to undo/);
  });
});

describe('refused keys', () => {
  it('A and R on an unknown clip say why and what to press instead', () => {
    for (const action of ['accept', 'reject'] as const) {
      const m = refusedAnswerMessage(action, { label: null }, keys);
      expect(m).toContain(`Nothing to ${action}`);
      expect(m).toContain('unknown');
      expect(m).toContain('Relabel it (1-5)');
      expect(m).toContain('new class (N)');
    }
  });

  it('says there is no prediction yet when the clip has none, and nothing when the key applies', () => {
    expect(refusedAnswerMessage('reject', null, keys)).toContain('no prediction');
    expect(refusedAnswerMessage('accept', { label: 'anger' }, keys)).toBeNull();
    expect(refusedAnswerMessage('reject', { label: 'anger' }, keys)).toBeNull();
  });

  it('gives disabled buttons and inputs a style of their own', () => {
    const css = readFileSync(path.resolve(__dirname, '../../src-renderer/styles.css'), 'utf8');
    expect(css).toMatch(/button:disabled[^{]*\{[^}]*opacity/);
    expect(css).toMatch(/input:disabled/);
    expect(css).toMatch(/button:disabled:hover/);
  });
});
