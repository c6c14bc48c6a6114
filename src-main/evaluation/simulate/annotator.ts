// The simulated annotator: answers with a clip's true label, or — at a given error rate, since people err —
// with another of the dataset's labels. Every clip's answer is drawn once, up front, in clip-id order from a
// seeded generator: the same clip gets the same answer whichever policy asks and in whatever order (an error
// is a belief about that clip, not a slip), so the policies are compared on identical answers.
import { makeRng } from '../../engine/odn';

export class SimulatedAnnotator {
  private readonly answers = new Map<number, string>();

  constructor(truth: ReadonlyMap<number, string>, labels: readonly string[], readonly errorRate: number, seed: number) {
    if (!(errorRate >= 0 && errorRate < 1)) throw new Error(`error rate ${errorRate} is not in [0, 1)`);
    const rng = makeRng(seed);
    for (const id of [...truth.keys()].sort((a, b) => a - b)) {
      const t = truth.get(id)!;
      const others = labels.filter((l) => l !== t);
      const wrong = rng() < errorRate && others.length > 0;
      const pick = rng(); // drawn either way, so one clip's error does not shift the next clip's draw
      this.answers.set(id, wrong ? others[Math.floor(pick * others.length)] : t);
    }
  }

  /** What the annotator says clip `id` is. */
  label(id: number): string {
    const a = this.answers.get(id);
    if (a === undefined) throw new Error(`the annotator has no truth for clip ${id}`);
    return a;
  }

  /** How many of the answers are wrong (for the report). */
  wrongAnswers(truth: ReadonlyMap<number, string>): number {
    let n = 0;
    for (const [id, a] of this.answers) if (truth.get(id) !== a) n++;
    return n;
  }
}
