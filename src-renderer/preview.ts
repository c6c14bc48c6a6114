// The panel preview page (see preview.html): every decision kind in a DecisionPanel, and the PAD plot of the
// third sample clip with its nearest words and the project's unknowns.
import { mount } from 'svelte';
import DecisionPanel from './components/DecisionPanel.svelte';
import PadPlot from './components/PadPlot.svelte';
import { CLASSES, KNOWN, SAMPLE_CLIPS, TABLE, THRESHOLDS, decideSample, nearestOf, padOf, unknownCloud } from './preview-data';
import './styles.css';
import './preview.css';

const decisions = document.getElementById('decisions')!;
for (const clip of SAMPLE_CLIPS) {
  const box = document.createElement('div');
  box.className = 'case';
  const h = document.createElement('h2');
  h.textContent = clip.title;
  box.append(h);
  decisions.append(box);
  mount(DecisionPanel, {
    target: box,
    props: { classes: CLASSES, probabilities: clip.probabilities, thresholds: THRESHOLDS, decision: decideSample(clip.probabilities), detectors: clip.detectors },
  });
}

const clip = SAMPLE_CLIPS[2];
const point = padOf(clip.probabilities);
const pad = document.getElementById('pad')!;
const h = document.createElement('h2');
h.textContent = `PAD space: ${clip.title}`;
pad.append(h);
mount(PadPlot, {
  target: pad,
  props: { table: TABLE, knownClasses: KNOWN, point, nearest: nearestOf(point, 3), cloud: unknownCloud(), height: 560 },
});
