// Fetches the clip list page by page as rows scroll into view, so the library never loads 100,000 rows at once.
import type { ClipFilter, ClipSort } from '../../shared/api';
import type { ClipRow } from '../../shared/domain';
import { api } from './api-client';

export const PAGE_SIZE = 200;

export class ClipPages {
  private readonly pages = new Map<number, ClipRow[]>();
  private readonly inFlight = new Map<number, Promise<void>>();
  private generation = 0;

  constructor(
    private filter: ClipFilter,
    private sort: ClipSort,
    private readonly onchange: () => void,
  ) {}

  reset(filter: ClipFilter, sort: ClipSort): void {
    this.filter = filter;
    this.sort = sort;
    this.pages.clear();
    this.inFlight.clear();
    this.generation++;
  }

  rowAt(index: number): ClipRow | undefined {
    return this.pages.get(Math.floor(index / PAGE_SIZE))?.[index % PAGE_SIZE];
  }

  /** Loads the pages covering [first, last]; returns the total the server reported for the first one. */
  async ensure(first: number, last: number): Promise<number | undefined> {
    let total: number | undefined;
    const gen = this.generation;
    const wanted: Promise<void>[] = [];
    for (let page = Math.floor(first / PAGE_SIZE); page <= Math.floor(last / PAGE_SIZE); page++) {
      if (this.pages.has(page)) continue;
      let p = this.inFlight.get(page);
      if (!p) {
        p = api
          .call('clips.list', { offset: page * PAGE_SIZE, limit: PAGE_SIZE, filter: this.filter, sort: this.sort })
          .then((res) => {
            if (gen !== this.generation) return;
            this.pages.set(page, res.rows);
            total = res.total;
            this.onchange();
          })
          .finally(() => this.inFlight.delete(page));
        this.inFlight.set(page, p);
      }
      wanted.push(p);
    }
    await Promise.all(wanted);
    return total;
  }
}
