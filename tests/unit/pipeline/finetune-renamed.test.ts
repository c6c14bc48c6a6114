// A class renamed after a model was trained is still that model's class (issue 18, item 4): fine-tuning the
// model with a new class replays the renamed class's clips under the model's own name, so nothing is forgotten
// and the new name is not mistaken for a new class.
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { addClassAndFinetune, trainModel, type ModelMetrics } from '../../../src-main/pipeline';
import { importDataset } from '../../../src-main/store/import';
import { ProjectStore } from '../../../src-main/store/project-store';
import { DEMO_MANIFEST, tempDir } from '../store/helpers';

const KNOWN = ['anger', 'boredom', 'happiness', 'neutral', 'sadness'];
let store: ProjectStore;
const idsOf = (label: string) => store.listClipRows({ offset: 0, limit: 1000 }).rows.filter((r) => r.currentLabel === label).map((r) => r.id);

beforeAll(async () => {
  store = ProjectStore.create(join(tempDir('eodn-finetune-renamed-'), 'demo.eodn'), { name: 'demo' });
  await importDataset(store, DEMO_MANIFEST);
  await trainModel(store, { known: KNOWN, crossValidate: false });
}, 300_000);

describe('fine-tuning after a rename', () => {
  it("replays the renamed class's clips as the model's own class", async () => {
    store.changeClass('rename', 'anger', 'rage', 'lead');
    expect(idsOf('rage')).toHaveLength(12);
    const v2 = await addClassAndFinetune(store, { name: 'fear', clipIds: idsOf('fear'), annotator: 'lead' });
    // The version keeps the names its parent was trained with; the studio reads "anger" as "rage".
    expect(v2.classes).toEqual([...KNOWN, 'fear']);
    expect(store.currentClassName('anger')).toBe('rage');
    // All 57 known clips replayed (the 12 "rage" ones among them), none left out as unknown.
    expect((v2.metrics as ModelMetrics).forgetting).toMatchObject({ heldOut: { knownClips: 57, newClips: 12 } });
  }, 300_000);
});
