# python run_model.py m.onnx emb.jsonl — the exported model on `eodn embed … --out emb.jsonl` rows.
# Needs `pip install onnxruntime numpy`. Not run by the studio's tests (its twin run-model.mjs is).
import json, sys
import numpy as np, onnxruntime as ort
model, emb = sys.argv[1], sys.argv[2]
meta = json.load(open(model + ".json")); st, d = meta["standardization"], meta["decision"]
rows = [json.loads(l) for l in open(emb) if l.strip()]
X = np.array([r["vector"] for r in rows], dtype=np.float32)
def stats(spk):  # the speaker's statistics from the export, else fitted on its own clips, else global
    if spk is None or st["mode"] == "global": s = st["global"]
    elif spk in st["speakers"]: s = st["speakers"][spk]
    else:
        own = X[[r["speaker"] == spk for r in rows]].astype(np.float64)
        if len(own) < st["minClipsPerSpeaker"]: s = st["global"]
        else: sd = own.std(0); return own.mean(0), np.where(sd > st["minStd"], sd, 1.0)
    return np.array(s["mean"]), np.array(s["scale"])
S = {spk: stats(spk) for spk in {r["speaker"] for r in rows}}
feeds = {"features": X, "mean": np.stack([S[r["speaker"]][0] for r in rows]), "scale": np.stack([S[r["speaker"]][1] for r in rows])}
P = ort.InferenceSession(model, providers=["CPUExecutionProvider"]).run(["probabilities"], feeds)[0]
for r, p in zip(rows, P):
    l, s = np.argsort(-p, kind="stable")[:2]; t = d["thresholds"][l]
    mu = t["mu"] if d["muRule"] == "top1" else (min if d["muRule"] == "min" else max)(x["mu"] for x in d["thresholds"])
    kind = "accepted" if p[l] >= t["eta"] else "unknown" if p[l] < mu else "ambiguous-accepted" if p[l] - p[s] >= t["delta"] else "ambiguous-unknown"
    print(json.dumps({"path": r["path"], "top1": meta["classes"][l], "kind": kind, "probabilities": p.tolist()}))
