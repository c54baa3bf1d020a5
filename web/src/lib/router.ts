// The studio's few client-side routes (the server answers index.html for each of them:
// see studioflow/api/routes/ui.py, which lists the same prefixes).
import { useEffect, useState } from "react";

export type Route =
  | { page: "studio"; renderId?: string }
  | { page: "history" }
  | { page: "batches"; batchId?: string };

export function parseRoute(path: string): Route {
  const parts = path.split("/").filter(Boolean).map(decodeURIComponent);
  if (parts[0] === "history") return { page: "history" };
  if (parts[0] === "batches") return { page: "batches", batchId: parts[1] };
  if (parts[0] === "renders" && parts[1]) return { page: "studio", renderId: parts[1] };
  return { page: "studio" };
}

export function routePath(route: Route): string {
  switch (route.page) {
    case "history":
      return "/history";
    case "batches":
      return route.batchId ? `/batches/${encodeURIComponent(route.batchId)}` : "/batches";
    default:
      return route.renderId ? `/renders/${encodeURIComponent(route.renderId)}` : "/";
  }
}

const EVENT = "studioflow:navigate";

export function navigate(route: Route, replace = false): void {
  const path = routePath(route);
  if (path === window.location.pathname) return;
  if (replace) window.history.replaceState(null, "", path);
  else window.history.pushState(null, "", path);
  window.dispatchEvent(new Event(EVENT));
}

export function useRoute(): Route {
  const [route, setRoute] = useState(() => parseRoute(window.location.pathname));
  useEffect(() => {
    const update = () => setRoute(parseRoute(window.location.pathname));
    window.addEventListener("popstate", update);
    window.addEventListener(EVENT, update);
    return () => {
      window.removeEventListener("popstate", update);
      window.removeEventListener(EVENT, update);
    };
  }, []);
  return route;
}
