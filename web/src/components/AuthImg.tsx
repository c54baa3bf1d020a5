// An <img> for API image URLs. Without an API key the browser loads (and caches) the URL
// itself; with one, the image is fetched with the key and shown from a blob URL, since an
// <img> cannot send headers.
import { useEffect, useState, type ImgHTMLAttributes } from "react";
import { apiKey, authHeaders, onApiKeyChange } from "../api/auth";

export function useApiKey(): string | null {
  const [key, setKey] = useState(apiKey);
  useEffect(() => onApiKeyChange(setKey), []);
  return key;
}

export function AuthImg({ src, alt, ...rest }: ImgHTMLAttributes<HTMLImageElement> & { src: string }) {
  const key = useApiKey();
  const [blob, setBlob] = useState<string | null>(null);
  useEffect(() => {
    if (!key) return;
    let url: string | null = null;
    let live = true;
    fetch(src, { headers: authHeaders() })
      .then((r) => (r.ok ? r.blob() : Promise.reject(new Error(String(r.status)))))
      .then((b) => {
        url = URL.createObjectURL(b);
        if (live) setBlob(url);
      })
      .catch(() => live && setBlob(null));
    return () => {
      live = false;
      if (url) URL.revokeObjectURL(url);
    };
  }, [src, key]);
  if (key && !blob) return <span className="img-placeholder" role="img" aria-label={alt} />;
  return <img src={key ? blob! : src} alt={alt} {...rest} />;
}
