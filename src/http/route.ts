import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { Request, RequestHandler, Response } from 'express';
import type { Principal, PrincipalOf, TokenStore } from '../domain/accounts/account.ts';
import { DomainError } from '../domain/errors.ts';
import type { Clock } from '../domain/ports.ts';
import type { BodyTypes, SchemaId } from '../domain/rules/bodies.ts';
import { readJsonBody } from './read-body.ts';
import { checkPathParams } from './unprintable.ts';
import type { Validate } from './validate.ts';

/** A role a route may admit: a staff role, or `citizen` (a claim token). */
export type AccessRole = Principal['role'];

/** Who may call a route: anyone, or principals with one of the roles. */
export type Access = 'public' | readonly AccessRole[];

/** The principal a handler sees: null on a public route, else a principal of one of its roles. */
export type PrincipalFor<A extends Access> = A extends readonly (infer R extends AccessRole)[] ? PrincipalOf<R> : null;

/** The body a handler sees: the value of the named schema once validated, undefined without one. */
export type BodyFor<S extends SchemaId | undefined> = S extends SchemaId ? BodyTypes[S] : undefined;

interface BaseContext<P> {
  req: Request;
  principal: P;
  params: Record<string, string>;
  query: Record<string, unknown>;
}

/**
 * A JSON route gets its body validated before the handler runs. A raw-body route (e.g. one that
 * also takes a PDF) reads the body itself, and validates JSON with `readJsonBody`.
 */
type BodyContext<B, Raw extends boolean> = Raw extends true
  ? { body: undefined; readJsonBody(): Promise<B> }
  : { body: B; readJsonBody?: undefined };

export type RequestContext<
  P = Principal | null,
  B = unknown,
  Raw extends boolean = false,
  L = undefined,
> = BaseContext<P> & BodyContext<B, Raw> & { loaded: L };

export interface Reply {
  status: number;
  body: unknown;
  /** Defaults to JSON; a Buffer/Uint8Array body is sent as is with this type. */
  contentType?: string;
  /** A body too large to hold: its chunks are written as the client reads them (`body` is then ignored). */
  stream?: Iterable<string>;
  headers?: Record<string, string>;
}

/** What the route table documents about a route (src/http/openapi.ts reads these). */
interface RouteDescription {
  method: 'get' | 'post' | 'put' | 'delete';
  /** Express path syntax, e.g. `/api/v1/certificates/:no`. */
  path: string;
  summary: string;
  tag: string;
  /** The media types a raw-body route accepts besides JSON; the route table documents them. */
  bodyMediaTypes?: string[];
  query?: { name: string; required: boolean; description: string }[];
  responses: Record<number, string>;
  /** Media type of the success body when it is not JSON (e.g. application/pdf). */
  responseMediaType?: string;
  /**
   * The body's schema, by name in src/http/response-schemas: one name for every success status,
   * or a name per status (a status >= 400 without one is documented with the error schema).
   */
  responseSchema?: string | Record<number, string>;
  /**
   * A success body served in several media types (a query parameter chooses), each with its own
   * schema by name; it takes the place of `responseMediaType` and `responseSchema`.
   */
  responseMediaTypes?: Record<string, string>;
}

/** A route as written: its handler's principal and body follow from `access` and `body`. */
export interface RouteDefinition<A extends Access, S extends SchemaId | undefined, Raw extends boolean, L>
  extends RouteDescription {
  access: A;
  /** Name of the JSON Schema in `schemas/` for the request body, when the route takes one. */
  body?: S;
  /** Reads the body itself (e.g. a PDF); the route table then documents `bodyMediaTypes`. */
  rawBody?: Raw;
  /**
   * Finds what the path names (answering NOT_FOUND) before the body is validated, so an unknown
   * target is a 404 whatever the body; the handler gets it as `loaded`. `req` is there for a
   * target opened by a credential of its own (an online application's token: 401/403).
   */
  load?(params: Record<string, string>, req: Request): L;
  handle(ctx: RequestContext<PrincipalFor<A>, BodyFor<S>, Raw, L>): Promise<Reply> | Reply;
}

/** What the binder needs of a request once it is authenticated (the principal not yet authorised). */
export interface RouteInput {
  req: Request;
  principal: Principal | null;
  validate: Validate;
}

/** A route of the table, its types erased: `serve` authorises, validates and calls the handler. */
export interface Route extends RouteDescription {
  access: Access;
  body?: SchemaId;
  rawBody?: boolean;
  serve(input: RouteInput): Promise<Reply>;
}

/** Lets the caller through if the route admits it, or throws UNAUTHENTICATED / FORBIDDEN. */
export function authorise(access: Access, principal: Principal | null): void {
  if (access === 'public') return;
  if (!principal) throw new DomainError('UNAUTHENTICATED', 'This route needs Authorization: Bearer <accessToken>');
  if (!access.includes(principal.role)) {
    throw new DomainError('FORBIDDEN', `The role "${principal.role}" may not call this route`);
  }
}

/**
 * Types a route by its access and body: the handler's `ctx.principal` is a principal of one of
 * the listed roles (null for a public route) and `ctx.body` the validated value of the schema.
 * Order of refusals: 401/403, malformed JSON, `load`'s 404, then the body's 400.
 */
export function defineRoute<
  const A extends Access,
  S extends SchemaId | undefined = undefined,
  Raw extends boolean = false,
  L = undefined,
>(definition: RouteDefinition<A, S, Raw, L>): Route {
  const { handle, load, ...description } = definition;
  return {
    ...description,
    async serve({ req, principal: caller, validate }) {
      authorise(definition.access, caller);
      // The one place a type is asserted: `authorise` just admitted the caller, so it is null on
      // a public route and otherwise a principal of one of the route's roles.
      const principal = (definition.access === 'public' ? null : caller) as PrincipalFor<A>;
      const params = req.params as Record<string, string>;
      const query = req.query as Record<string, unknown>;
      const schemaId = definition.body;
      const validated = (json: unknown) =>
        (schemaId === undefined ? undefined : validate(schemaId, json)) as BodyFor<S>;
      if (definition.rawBody) {
        const loaded = load ? load(params, req) : (undefined as L);
        const readBody = async () => validated(await readJsonBody(req));
        const ctx = { req, principal, params, query, loaded, body: undefined, readJsonBody: readBody };
        return handle(ctx as unknown as RequestContext<PrincipalFor<A>, BodyFor<S>, Raw, L>);
      }
      const json = schemaId === undefined ? undefined : await readJsonBody(req);
      const loaded = load ? load(params, req) : (undefined as L);
      const ctx = { req, principal, params, query, loaded, body: validated(json) };
      return handle(ctx as unknown as RequestContext<PrincipalFor<A>, BodyFor<S>, Raw, L>);
    },
  };
}

const bearer = /^Bearer ([A-Za-z0-9_-]{16,128})$/;

/** The well-formed bearer token of the request, if any. */
export const bearerToken = (req: Request): string | null => bearer.exec(req.headers.authorization ?? '')?.[1] ?? null;

export function authenticate(req: Request, tokens: TokenStore, clock: Clock): Principal | null {
  const header = req.headers.authorization;
  if (header === undefined) return null;
  const token = bearerToken(req);
  const principal = token ? tokens.resolve(token, clock.now()) : null;
  if (!principal) throw new DomainError('UNAUTHENTICATED', 'The bearer token is missing, invalid or expired');
  return principal;
}

/** Binds a route to express: authenticate → authorise → body → handler → reply. */
export function bindRoute(
  route: Route,
  deps: { tokens: TokenStore; clock: Clock; validate: Validate },
): RequestHandler {
  return async (req, res, next) => {
    // For the request log: a route answered from the fixed-path map (fixed-routes.ts) has no `req.route`.
    res.locals.route = route.path;
    try {
      // Public routes ignore credentials: a stale or foreign Authorization header must not
      // turn away a verification or a health check.
      const principal = route.access === 'public' ? null : authenticate(req, deps.tokens, deps.clock);
      // `serve` authorises again, to narrow the principal's type; refusing here first keeps a
      // refused caller out of the request log's principal.
      authorise(route.access, principal);
      res.locals.principal = principal;
      checkPathParams(req.params as Record<string, string>);
      const reply = await route.serve({ req, principal, validate: deps.validate });
      res.status(reply.status);
      for (const [name, value] of Object.entries(reply.headers ?? {})) res.setHeader(name, value);
      if (reply.stream) {
        res.type(reply.contentType ?? 'application/octet-stream');
        // Back-pressure: the next chunk is read from its source only once the socket has taken the last.
        await pipeline(Readable.from(reply.stream, { objectMode: false }), res).catch(() => res.destroy());
      } else if (reply.body instanceof Uint8Array) {
        res.type(reply.contentType ?? 'application/octet-stream').send(Buffer.from(reply.body));
      } else if (reply.contentType) {
        res.type(reply.contentType).send(JSON.stringify(reply.body));
      } else {
        sendJson(req, res, reply.body);
      }
    } catch (error) {
      next(error);
    }
  };
}

/**
 * `res.json` without express's `send` on the way: that looks the type up again, re-reads headers
 * through `res.get`, copies a body of 1,000 characters or more into a Buffer (two chunks on the
 * socket instead of one) and parses the request's conditional headers for a freshness check that
 * can never succeed here (no ETag, no Last-Modified). The same bytes and headers go out; HEAD and
 * the body-less statuses still take express's path.
 */
function sendJson(req: Request, res: Response, body: unknown): void {
  const status = res.statusCode;
  if (req.method === 'HEAD' || status === 204 || status === 205 || status === 304) {
    res.json(body);
    return;
  }
  const text = JSON.stringify(body) ?? '';
  res.setHeader('Content-Type', 'application/json; charset=utf-8');
  res.setHeader('Content-Length', Buffer.byteLength(text));
  res.end(text);
}
