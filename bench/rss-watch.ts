// Samples a child's RSS in the background: peak per window (one scenario) and over the whole run.
import { readRss } from "./processes.ts";

const SAMPLE_EVERY_MS = 100;

export interface RssWatch {
  /** Starts a new window; returns the RSS right now. */
  startWindow(): number;
  /** Highest RSS seen since startWindow(). */
  windowPeak(): number;
  /** Highest RSS seen since the watch started. */
  overallPeak(): number;
  stop(): void;
}

export function watchRss(pid: number): RssWatch {
  let windowPeak = 0;
  let overallPeak = 0;
  const sample = () => {
    const rss = readRss(pid);
    if (!Number.isFinite(rss)) return rss;
    windowPeak = Math.max(windowPeak, rss);
    overallPeak = Math.max(overallPeak, rss);
    return rss;
  };
  const timer = setInterval(sample, SAMPLE_EVERY_MS);
  sample();
  return {
    startWindow() {
      windowPeak = 0;
      return sample();
    },
    windowPeak() {
      sample();
      return windowPeak;
    },
    overallPeak() {
      sample();
      return overallPeak;
    },
    stop: () => clearInterval(timer),
  };
}
