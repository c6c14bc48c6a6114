// "Train a model" (issue 18): the known classes are chosen in the studio, not only by `eodn train --known`.
// The dialog lists the project's classes with their labelled-clip counts, ticks the active model's classes
// (else every class with at least 5 labelled clips), refuses fewer than 2 and starts models.train with them.
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/svelte';
import { afterEach, describe, expect, it, vi } from 'vitest';

const calls = vi.hoisted(() => [] as { method: string; args: unknown }[]);
vi.mock('../../src-renderer/lib/api-client', () => ({
  api: {
    call: vi.fn(async (method: string, args: unknown) => {
      calls.push({ method, args });
      if (method === 'classes.list') {
        const counts: [string, number][] = [['anger', 12], ['boredom', 9], ['disgust', 4], ['fear', 7], ['happiness', 10], ['neutral', 8], ['sadness', 0]];
        return { classes: counts.map(([name, clips]) => ({ name, pad: null, origin: 'import', createdAt: '2026-01-01T00:00:00Z', clips })) };
      }
      if (method === 'models.train') return { jobId: 'job-7' };
      throw new Error(`unexpected ${method}`);
    }),
    on: () => () => {},
  },
}));
const { default: TrainDialog } = await import('../../src-renderer/components/TrainDialog.svelte');

afterEach(() => {
  cleanup();
  calls.length = 0;
});

const boxes = () => screen.getAllByTestId('train-class') as HTMLInputElement[];
const ticked = () => boxes().filter((b) => b.checked).map((b) => b.dataset.class);
const box = (name: string) => boxes().find((b) => b.dataset.class === name)!;

function open(activeClasses: string[] | null) {
  const onstarted = vi.fn();
  const onclose = vi.fn();
  render(TrainDialog, { props: { activeClasses, onstarted, onclose } });
  return { onstarted, onclose };
}

describe('TrainDialog', () => {
  it('lists every class with its labelled-clip count and, for a first model, ticks the classes with ≥ 5 clips', async () => {
    open(null);
    await waitFor(() => expect(boxes()).toHaveLength(7));
    expect(screen.getAllByTestId('train-class-count').map((e) => e.textContent)).toEqual(['12 clips', '9 clips', '4 clips', '7 clips', '10 clips', '8 clips', '0 clips']);
    expect(ticked()).toEqual(['anger', 'boredom', 'fear', 'happiness', 'neutral']);
    // A class without a labelled clip cannot be learned.
    expect(box('sadness').disabled).toBe(true);
    expect(screen.getByTestId('train-dialog').textContent).toContain('left out are what the model should find as unknown');
    expect(screen.getByTestId('train-summary').textContent).toContain('unknown: disgust, sadness');
  });

  it("ticks the active model's classes when there is one", async () => {
    open(['anger', 'neutral', 'disgust']);
    await waitFor(() => expect(boxes()).toHaveLength(7));
    expect(ticked()).toEqual(['anger', 'disgust', 'neutral']);
  });

  it('refuses fewer than 2 known classes', async () => {
    open(['anger', 'neutral']);
    await waitFor(() => expect(boxes()).toHaveLength(7));
    const confirm = screen.getByTestId('train-confirm') as HTMLButtonElement;
    expect(confirm.disabled).toBe(false);
    await fireEvent.click(box('neutral'));
    expect(ticked()).toEqual(['anger']);
    expect(confirm.disabled).toBe(true);
    expect(screen.getByTestId('train-summary').textContent).toContain('Choose at least 2 known classes');
    await fireEvent.click(confirm);
    expect(calls.some((c) => c.method === 'models.train')).toBe(false);
  });

  it('trains on the ticked classes and reports the job', async () => {
    const { onstarted } = open(null);
    await waitFor(() => expect(boxes()).toHaveLength(7));
    await fireEvent.click(box('fear'));
    await fireEvent.click(box('happiness'));
    expect(screen.getByTestId('train-confirm').textContent).toBe('Train on 3 classes');
    await fireEvent.click(screen.getByTestId('train-confirm'));
    await waitFor(() => expect(onstarted).toHaveBeenCalledWith('job-7'));
    expect(calls.filter((c) => c.method === 'models.train')).toEqual([{ method: 'models.train', args: { known: ['anger', 'boredom', 'neutral'] } }]);
  });

  it('closes on Escape and Cancel without training', async () => {
    const { onclose } = open(null);
    await waitFor(() => expect(boxes()).toHaveLength(7));
    await fireEvent.keyDown(window, { key: 'Escape' });
    await fireEvent.click(screen.getByText('Cancel'));
    expect(onclose).toHaveBeenCalledTimes(2);
    expect(calls.some((c) => c.method === 'models.train')).toBe(false);
  });
});
