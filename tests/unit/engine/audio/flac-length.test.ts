// Issue 19: a FLAC decodes to the length its STREAMINFO announces, or fails saying so — never a silently
// shorter clip. No encoder is needed: the fixture (flac 1.4.2) is complete, and cutting its last bytes off
// loses the last frame the way the sox-encoded EmoDB files lost theirs.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { probeFlac } from '../../../../src-main/engine/audio/codecs/flac';
import { decodeAudio } from '../../../../src-main/engine/audio/decode';
import { audioFacts } from '../../../../src-main/store/import';

const fixture = new Uint8Array(readFileSync(join(__dirname, '..', '..', '..', 'fixtures', 'audio', 'mono-16k-1s.flac')));

describe('FLAC length against STREAMINFO (issue 19)', () => {
  it('reads STREAMINFO’s 36-bit total and decodes the fixture to exactly that many samples', async () => {
    const total = probeFlac(fixture)?.frames;
    expect(total).toBe(16000);
    const d = await decodeAudio(fixture, 'mono-16k-1s.flac');
    expect(d.channelData[0].length).toBe(total);
  });

  it('reads the high 4 bits of the 36-bit total', () => {
    const b = fixture.slice();
    b[21] = (b[21] & 0xf0) | 0x1; // 2^32 + 16000
    expect(probeFlac(b)?.frames).toBe(2 ** 32 + 16000);
  });

  it('a FLAC whose last frame is lost fails with both lengths instead of decoding short', async () => {
    const cut = fixture.subarray(0, fixture.length - 200);
    await expect(decodeAudio(cut, 'cut.flac')).rejects.toThrow(/cut\.flac: unreadable FLAC: decoded \d+ of the 16000 samples its STREAMINFO announces/);
    // The import's check (whole small file) names it too, and the quick check of a file's start does not.
    await expect(audioFacts(cut, 'cut.flac')).rejects.toThrow(/of the 16000 samples its STREAMINFO announces/);
    const start = await decodeAudio(cut, 'cut.flac', { prefix: true });
    expect(start.channelData[0].length).toBeGreaterThan(0);
    expect(start.channelData[0].length).toBeLessThan(16000);
  });
});
