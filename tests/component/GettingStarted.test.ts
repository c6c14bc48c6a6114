import { cleanup, fireEvent, render, screen } from '@testing-library/svelte';
import { afterEach, describe, expect, it, vi } from 'vitest';
import GettingStarted from '../../src-renderer/components/GettingStarted.svelte';
import { isDemoProject, isGuideHidden, setGuideHidden } from '../../src-renderer/lib/getting-started';

afterEach(() => {
  cleanup();
  localStorage.clear();
});

describe('Getting started', () => {
  it('knows the demo project by its file or its name', () => {
    expect(isDemoProject({ path: '/home/u/.config/E-ODN Studio/projects/emodb-demo.eodn', name: 'x' })).toBe(true);
    expect(isDemoProject({ path: 'C:\\data\\projects\\emodb-demo.eodn', name: 'x' })).toBe(true);
    expect(isDemoProject({ path: '/tmp/other.eodn', name: 'EmoDB demo (2 speakers)' })).toBe(true);
    expect(isDemoProject({ path: '/tmp/lab.eodn', name: 'My lab' })).toBe(false);
    expect(isDemoProject(null)).toBe(false);
  });

  it('remembers that the guide was hidden, and can forget it', () => {
    expect(isGuideHidden()).toBe(false);
    setGuideHidden(true);
    expect(isGuideHidden()).toBe(true);
    setGuideHidden(false);
    expect(isGuideHidden()).toBe(false);
  });

  it('lists the loop in five steps that switch tabs, the review keys, and hides', async () => {
    const ongo = vi.fn();
    const onhide = vi.fn();
    render(GettingStarted, { props: { activeModelId: null, training: true, tab: 'library', ongo, onhide } });
    const guide = screen.getByTestId('getting-started');
    expect(screen.getByTestId('guide-model-status').textContent).toContain('Training now');
    // The default keys, as the Review view uses them.
    const review = screen.getByTestId('guide-step-review').textContent!;
    for (const k of ['A', 'R', 'N', 'U', 'Space', 'J', 'K', '1', '5']) expect(review).toContain(k);
    expect(guide.textContent).toContain('suggestions');
    expect(guide.textContent).toContain('not verdicts');
    for (const [id, tab] of [['review', 'review'], ['discover', 'discover'], ['train', 'train'], ['models', 'models'], ['model', 'models']] as const) {
      await fireEvent.click(screen.getByTestId(`guide-step-${id}`));
      expect(ongo).toHaveBeenLastCalledWith(tab);
    }
    await fireEvent.click(screen.getByTestId('guide-hide'));
    expect(onhide).toHaveBeenCalledOnce();
  });

  it('marks one step in Models: the first model until it is ready, then step 5 (issue 18)', () => {
    const here = () => [...screen.getByTestId('getting-started').querySelectorAll('li.here button')].map((b) => b.getAttribute('data-testid'));
    const { unmount } = render(GettingStarted, { props: { activeModelId: 3, training: false, tab: 'models', ongo: () => {}, onhide: () => {} } });
    expect(here()).toEqual(['guide-step-models']);
    unmount();
    render(GettingStarted, { props: { activeModelId: null, training: true, tab: 'models', ongo: () => {}, onhide: () => {} } });
    expect(here()).toEqual(['guide-step-model']);
    cleanup();
    render(GettingStarted, { props: { activeModelId: 3, training: false, tab: 'review', ongo: () => {}, onhide: () => {} } });
    expect(here()).toEqual(['guide-step-review']);
  });

  it('says when the first model is ready, and follows changed shortcuts', () => {
    localStorage.setItem('eodn.shortcuts.v1', JSON.stringify({ accept: 'y' }));
    render(GettingStarted, { props: { activeModelId: 1, training: false, tab: 'review', ongo: () => {}, onhide: () => {} } });
    expect(screen.getByTestId('guide-model-status').textContent).toBe('Ready: model #1 is active.');
    expect(screen.getByTestId('guide-step-review').textContent).toContain('Y accept');
  });
});
