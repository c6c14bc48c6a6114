// Review's N asks for the new class's name before creating it (issue 18): the field starts with the suggested
// PAD word, Enter confirms the (edited) name, Escape cancels, an empty name is refused and an existing class
// is said.
import { cleanup, fireEvent, render, screen } from '@testing-library/svelte';
import { afterEach, describe, expect, it, vi } from 'vitest';
import NewClassPrompt from '../../src-renderer/components/NewClassPrompt.svelte';

afterEach(cleanup);

function open(classes: string[] = ['anger', 'Fearful']) {
  const onconfirm = vi.fn();
  const oncancel = vi.fn();
  render(NewClassPrompt, { suggestion: 'Bored', classes, onconfirm, oncancel });
  return { input: screen.getByTestId('new-class-name') as HTMLInputElement, onconfirm, oncancel };
}

describe('NewClassPrompt', () => {
  it('starts with the suggested word and creates nothing until Enter', async () => {
    const { input, onconfirm, oncancel } = open();
    expect(input.value).toBe('Bored');
    expect(document.activeElement).toBe(input);
    expect(onconfirm).not.toHaveBeenCalled();
    await fireEvent.input(input, { target: { value: '  Weary ' } });
    await fireEvent.keyDown(input, { key: 'Enter' });
    expect(onconfirm).toHaveBeenCalledWith('Weary');
    expect(oncancel).not.toHaveBeenCalled();
  });

  it('cancels on Escape', async () => {
    const { input, onconfirm, oncancel } = open();
    await fireEvent.keyDown(input, { key: 'Escape' });
    expect(oncancel).toHaveBeenCalledOnce();
    expect(onconfirm).not.toHaveBeenCalled();
  });

  it('refuses an empty name and says when the class exists', async () => {
    const { input, onconfirm } = open();
    await fireEvent.input(input, { target: { value: '   ' } });
    await fireEvent.keyDown(input, { key: 'Enter' });
    expect(onconfirm).not.toHaveBeenCalled();
    expect(screen.getByText('Give the class a name.')).toBeTruthy();
    await fireEvent.input(input, { target: { value: 'fearful' } });
    expect(screen.getByTestId('new-class-exists').textContent).toBe('“Fearful” exists: the clip will be added to it.');
    await fireEvent.keyDown(input, { key: 'Enter' });
    expect(onconfirm).toHaveBeenCalledWith('Fearful');
  });
});
