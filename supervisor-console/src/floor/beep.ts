/** A short two-tone beep generated with WebAudio (no sound file to fetch: CSP and no external resources). */
let context: AudioContext | null = null;

export function beep(): void {
  const Ctx = globalThis.AudioContext;
  if (!Ctx) return;
  try {
    context ??= new Ctx();
    const ctx = context;
    void ctx.resume().catch(() => undefined);
    const start = ctx.currentTime;
    for (const [i, freq] of [880, 660].entries()) {
      const osc = ctx.createOscillator();
      const gain = ctx.createGain();
      osc.type = 'sine';
      osc.frequency.value = freq;
      const t0 = start + i * 0.18;
      gain.gain.setValueAtTime(0.0001, t0);
      gain.gain.exponentialRampToValueAtTime(0.25, t0 + 0.02);
      gain.gain.exponentialRampToValueAtTime(0.0001, t0 + 0.16);
      osc.connect(gain).connect(ctx.destination);
      osc.start(t0);
      osc.stop(t0 + 0.17);
    }
  } catch {
    // Autoplay policy before any user gesture: the visual alert remains.
  }
}
