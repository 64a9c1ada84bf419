import type { RequestHandler } from 'express';

/** A route as express would be given it: method, path template and its bound handler. */
export interface BoundRoute {
  method: 'get' | 'post' | 'put' | 'delete';
  path: string;
  handler: RequestHandler;
}

/** A path with nothing express reads as a pattern: no parameter, wildcard, group or escape. */
const FIXED_PATH = /^(\/[A-Za-z0-9._~-]+)+$/;
/** A template whose segments are plain text or whole `:name` parameters. */
const SIMPLE_TEMPLATE = /^(\/(:[A-Za-z_$][A-Za-z0-9_$]*|[A-Za-z0-9._~-]+))+$/;

/**
 * True unless express certainly would not send a request for the fixed path `fixed` to
 * `template`: a template of any other syntax (wildcards, optional groups) counts as matching.
 */
function mayMatch(template: string, fixed: string): boolean {
  if (!SIMPLE_TEMPLATE.test(template)) return true;
  const [want, have] = [template.split('/'), fixed.split('/')];
  return (
    want.length === have.length &&
    want.every((segment, i) => segment.startsWith(':') || segment.toLowerCase() === have[i]!.toLowerCase())
  );
}

/**
 * The route table's fixed paths, answered from a map by method and path. Express tries its
 * routes one by one, a regular expression each, and verification comes after some forty of
 * them; a map finds it in one look-up.
 *
 * Express keeps every route as well, and the map never changes which route answers:
 * - a request it does not hold exactly (a trailing slash, other letter case, HEAD for a GET,
 *   a path with parameters) goes on to express as before;
 * - a fixed path that an earlier route would or might have taken (`/a/:id` before `/a/search`)
 *   is left out.
 * A handler answers or passes an error on; one that calls `next()` without an error would
 * reach express's copy of itself.
 */
export function fixedRoutes(routes: readonly BoundRoute[]): RequestHandler {
  const byKey = new Map<string, RequestHandler>();
  routes.forEach(({ method, path, handler }, index) => {
    if (!FIXED_PATH.test(path)) return;
    // An earlier route that may take this path, the same path registered twice included, keeps it.
    const earlier = routes.slice(0, index).some((r) => r.method === method && mayMatch(r.path, path));
    if (!earlier) byKey.set(`${method.toUpperCase()} ${path}`, handler);
  });
  return (req, res, next) => {
    const query = req.url.indexOf('?');
    const handler = byKey.get(`${req.method} ${query < 0 ? req.url : req.url.slice(0, query)}`);
    // Returned, so express passes a rejected promise on as an error, as for its own routes.
    return handler ? handler(req, res, next) : next();
  };
}
