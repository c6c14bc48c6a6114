// "Train a model" after a rename (issue 18, item 4): a class the active model knows under its former name is
// ticked as known, like the model's other classes.
import { cleanup, render, screen, waitFor } from '@testing-library/svelte';
import { afterEach, describe, expect, it, vi } from 'vitest';

vi.mock('../../src-renderer/lib/api-client', () => ({
  api: {
    call: vi.fn(async (method: string) => {
      if (method === 'classes.list') {
        const c = (name: string, clips: number, formerNames?: string[]) => ({ name, pad: null, origin: 'import', createdAt: '2026-01-01T00:00:00Z', clips, ...(formerNames ? { formerNames } : {}) });
        return { classes: [c('rage', 12, ['anger']), c('boredom', 9), c('fear', 7), c('sadness', 8)] };
      }
      throw new Error(`unexpected ${method}`);
    }),
    on: () => () => {},
  },
}));
const { default: TrainDialog } = await import('../../src-renderer/components/TrainDialog.svelte');

afterEach(cleanup);

describe('TrainDialog after a rename', () => {
  it("ticks the class the active model knows by its former name", async () => {
    render(TrainDialog, { props: { activeClasses: ['anger', 'boredom', 'sadness'], onstarted: vi.fn(), onclose: vi.fn() } });
    const boxes = () => screen.getAllByTestId('train-class') as HTMLInputElement[];
    await waitFor(() => expect(boxes()).toHaveLength(4));
    expect(boxes().filter((b) => b.checked).map((b) => b.dataset.class)).toEqual(['rage', 'boredom', 'sadness']);
  });
});
