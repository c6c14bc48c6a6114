// Blind review (issue 14): seeing other annotators' labels, or the model's suggestion, before answering
// anchors the answer on them (a known bias of pre-labelling). The setting is the renderer's own, kept in
// localStorage like the shortcuts (per Electron profile; in browser mode per launch origin), not in the data folder.

export interface BlindReview {
  /** Hide other annotators' labels: the clips' current labels and the votes. */
  hideOthers: boolean;
  /** Also hide the model's suggestion: its label, the decision panel, the PAD plot and its words. */
  hideModel: boolean;
}

export const BLIND_REVIEW_KEY = 'eodn.blindReview.v1';
export const BLIND_OFF: BlindReview = { hideOthers: false, hideModel: false };

export function loadBlindReview(storage: Pick<Storage, 'getItem'> | undefined = globalThis.localStorage): BlindReview {
  try {
    const raw = JSON.parse(storage?.getItem(BLIND_REVIEW_KEY) ?? 'null') as Partial<BlindReview> | null;
    if (!raw || typeof raw !== 'object') return { ...BLIND_OFF };
    const hideOthers = raw.hideOthers === true;
    // Hiding the model alone is allowed too: it is the suggestion that anchors most.
    return { hideOthers, hideModel: raw.hideModel === true };
  } catch {
    return { ...BLIND_OFF };
  }
}

export function saveBlindReview(b: BlindReview, storage: Pick<Storage, 'setItem'> | undefined = globalThis.localStorage): void {
  try {
    storage?.setItem(BLIND_REVIEW_KEY, JSON.stringify({ hideOthers: b.hideOthers, hideModel: b.hideModel }));
  } catch {
    // A storage that refuses (private mode, quota): the setting lasts this session.
  }
}
