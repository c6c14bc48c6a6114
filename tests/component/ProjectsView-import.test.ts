// The Projects view's import summary shows what the import's reading guessed (issue 19: a folder mixing naming
// schemes, files that follow no naming) and every file it left out with the reason, not only the counts.
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/svelte';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { ImportJobReport, JobProgressEvent } from '../../shared/api';
import type { ProjectInfo } from '../../shared/domain';

const bus = vi.hoisted(() => ({ progress: null as ((e: JobProgressEvent) => void) | null }));
vi.mock('../../src-renderer/lib/api-client', () => ({
  api: {
    call: vi.fn(async (method: string) => (method === 'projects.recent' ? { projects: [] } : method === 'projects.import' ? { jobId: 'job-7' } : null)),
    on: (event: string, fn: (e: JobProgressEvent) => void) => {
      if (event === 'job.progress') bus.progress = fn;
      return () => {};
    },
  },
}));
const { default: ProjectsView } = await import('../../src-renderer/views/ProjectsView.svelte');

afterEach(() => cleanup());

const project: ProjectInfo = { path: '/data/p.eodn', name: 'P', clipCount: 0, classes: [], speakers: [], createdAt: '2026-01-01', readOnly: null };

async function finishImport(report: ImportJobReport) {
  render(ProjectsView, { props: { info: null, project } });
  await fireEvent.input(screen.getByLabelText('Dataset folder or manifest'), { target: { value: '/data/emodb' } });
  await fireEvent.click(screen.getByTestId('import-start'));
  await waitFor(() => expect(screen.getByTestId('import-progress')).toBeTruthy());
  bus.progress!({ jobId: 'job-7', kind: 'import', state: 'done', done: report.total, total: report.total, message: 'done', importReport: report });
  await waitFor(() => expect(screen.getByTestId('import-summary')).toBeTruthy());
}

describe('Projects import summary', () => {
  it("lists the import's warnings and the files left out with their reasons", async () => {
    const warning = '1 file follows no EmoDB naming (x (copy).wav): imported without label or speaker';
    await finishImport({
      source: '/data/emodb',
      total: 5,
      added: 5,
      skippedDuplicates: 0,
      errors: [],
      skipped: [{ file: '/data/emodb/memo.m4a', reason: 'AAC audio (.m4a) is not supported: convert it to WAV or FLAC' }],
      warnings: [warning],
      cancelled: false,
    });
    expect(screen.getAllByTestId('import-warning').map((li) => li.textContent)).toEqual([`⚠ ${warning}`]);
    const skipped = screen.getByTestId('import-skipped').textContent!;
    expect(skipped).toContain('memo.m4a');
    expect(skipped).toContain('convert it to WAV or FLAC');
  });

  it('shows no warnings list when the reading had nothing to say', async () => {
    await finishImport({ source: '/data/emodb', total: 2, added: 2, skippedDuplicates: 0, errors: [], cancelled: false });
    expect(screen.queryByTestId('import-warnings')).toBeNull();
    expect(screen.queryByTestId('import-skipped')).toBeNull();
  });
});
