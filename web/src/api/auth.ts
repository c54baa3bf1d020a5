// The API key, when the server asks for one (it does when it listens beyond loopback).
// Kept in this browser's localStorage; sent as Authorization: Bearer.
const STORAGE = "studioflow.apiKey";
type Listener = (key: string | null) => void;
const listeners = new Set<Listener>();

export function apiKey(): string | null {
  try {
    return localStorage.getItem(STORAGE);
  } catch {
    return null;
  }
}

export function setApiKey(key: string | null): void {
  try {
    if (key) localStorage.setItem(STORAGE, key);
    else localStorage.removeItem(STORAGE);
  } catch {
    // storage disabled: the key lasts until the page is closed
  }
  listeners.forEach((l) => l(key));
}

export function onApiKeyChange(listener: Listener): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

export function authHeaders(): Record<string, string> {
  const key = apiKey();
  return key ? { Authorization: `Bearer ${key}` } : {};
}
