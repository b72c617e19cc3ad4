/**
 * How a new alert gets the agent's attention, as they chose: a short tone and a vibration
 * (phones), and a system notification when the tab is in the background. Choices are kept on
 * this device only.
 */
export interface Preferences {
  sound: boolean;
  notifications: boolean;
}

const KEY = 'leadpulse.alertPreferences';
const DEFAULTS: Preferences = { sound: true, notifications: false };

export function loadPreferences(): Preferences {
  if (typeof window === 'undefined') return DEFAULTS;
  try {
    return { ...DEFAULTS, ...(JSON.parse(window.localStorage.getItem(KEY) ?? '{}') as Partial<Preferences>) };
  } catch {
    return DEFAULTS;
  }
}

export function savePreferences(p: Preferences) {
  try {
    window.localStorage.setItem(KEY, JSON.stringify(p));
  } catch {
    // Storage unavailable: the choice lasts for this page only.
  }
}

let audio: AudioContext | null = null;

/**
 * Browsers only let a page make sound after the person has interacted with it: open the audio
 * context on the first tap or key press, so the first alert can chime.
 */
export function unlockAudioOnFirstGesture() {
  if (typeof window === 'undefined') return;
  const unlock = () => {
    try {
      audio ??= new AudioContext();
      void audio.resume();
    } catch {
      // No audio output: the visual alert still shows.
    }
    window.removeEventListener('pointerdown', unlock);
    window.removeEventListener('keydown', unlock);
  };
  window.addEventListener('pointerdown', unlock);
  window.addEventListener('keydown', unlock);
}

/** Two short rising tones, synthesised (no audio file to download). */
function chime() {
  try {
    audio ??= new AudioContext();
    if (audio.state === 'suspended') void audio.resume();
    const now = audio.currentTime;
    for (const [i, freq] of [660, 880].entries()) {
      const osc = audio.createOscillator();
      const gain = audio.createGain();
      osc.frequency.value = freq;
      gain.gain.setValueAtTime(0.0001, now + i * 0.16);
      gain.gain.exponentialRampToValueAtTime(0.25, now + i * 0.16 + 0.02);
      gain.gain.exponentialRampToValueAtTime(0.0001, now + i * 0.16 + 0.15);
      osc.connect(gain).connect(audio.destination);
      osc.start(now + i * 0.16);
      osc.stop(now + i * 0.16 + 0.16);
    }
  } catch {
    // No audio output (or autoplay policy before any tap): the visual alert still shows.
  }
}

export function notificationsSupported(): boolean {
  return typeof window !== 'undefined' && 'Notification' in window;
}

/** Asks the browser for permission; true when notifications may be shown. */
export async function requestNotificationPermission(): Promise<boolean> {
  if (!notificationsSupported()) return false;
  if (Notification.permission === 'granted') return true;
  if (Notification.permission === 'denied') return false;
  return (await Notification.requestPermission()) === 'granted';
}

export function alertFeedback(p: Preferences, n: { title: string; body: string; tag: string; url: string }) {
  if (p.sound) {
    chime();
    if ('vibrate' in navigator) navigator.vibrate([180, 80, 180]);
  }
  if (p.notifications && notificationsSupported() && Notification.permission === 'granted' && document.visibilityState !== 'visible') {
    const shown = new Notification(n.title, { body: n.body, tag: n.tag });
    shown.onclick = () => {
      window.focus();
      window.location.assign(n.url);
    };
  }
}
