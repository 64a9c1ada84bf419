import type { RequestHandler } from 'express';

/** A route as express would be given it: method, path template and its bound handler. */
export interface BoundRoute {
  method: 'get' | 'post' | 'put' | 'delete';
  path: string;
  handler: RequestHandler;
}

const isParameter = (segment: string) => segment.startsWith(':');

/** True when express would send a request for the fixed path `fixed` to the template `template`. */
function templateMatches(template: string, fixed: string): boolean {
  const [want, have] = [template.split('/'), fixed.split('/')];
  return (
    want.length === have.length &&
    want.every((segment, i) => isParameter(segment) || segment.toLowerCase() === have[i]!.toLowerCase())
  );
}

/**
 * The route table's fixed paths (those without a `:parameter`), answered from a map by method and
 * path. Express tries its routes one by one, a regular expression each, and verification comes
 * after some forty of them; a map finds it in one look-up.
 *
 * Express keeps every route as well, and the map never changes which route answers:
 * - a request it does not hold exactly (a trailing slash, other letter case, HEAD for a GET,
 *   a path with parameters) goes on to express as before;
 * - a fixed path that an earlier route would have taken (`/a/:id` before `/a/search`) is left out.
 */
export function fixedRoutes(routes: readonly BoundRoute[]): RequestHandler {
  const byKey = new Map<string, RequestHandler>();
  routes.forEach(({ method, path, handler }, index) => {
    if (path.split('/').some(isParameter)) return;
    const key = `${method.toUpperCase()} ${path}`;
    const earlier = routes.slice(0, index).some((r) => r.method === method && templateMatches(r.path, path));
    if (!earlier && !byKey.has(key)) byKey.set(key, handler);
  });
  return (req, res, next) => {
    const query = req.url.indexOf('?');
    const handler = byKey.get(`${req.method} ${query < 0 ? req.url : req.url.slice(0, query)}`);
    if (handler) void handler(req, res, next);
    else next();
  };
}
