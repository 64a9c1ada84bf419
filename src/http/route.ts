import type { Request, RequestHandler } from 'express';
import type { Principal, Role, TokenStore } from '../domain/accounts/account.ts';
import { DomainError } from '../domain/errors.ts';
import type { Clock } from '../domain/ports.ts';
import { readJsonBody } from './read-body.ts';

/** Who may call a route: anyone, or principals with one of the roles (`citizen` = a claim token). */
export type Access = 'public' | readonly (Role | 'citizen')[];

export interface RequestContext {
  req: Request;
  principal: Principal | null;
  params: Record<string, string>;
  query: Record<string, unknown>;
  /** The parsed JSON body for routes that declare `body`; undefined otherwise. */
  body: unknown;
}

export interface Reply {
  status: number;
  body: unknown;
  /** Defaults to JSON; a Buffer/Uint8Array body is sent as is with this type. */
  contentType?: string;
  headers?: Record<string, string>;
}

export interface Route {
  method: 'get' | 'post' | 'put';
  /** Express path syntax, e.g. `/api/v1/certificates/:no`. */
  path: string;
  summary: string;
  tag: string;
  access: Access;
  /** Name of the JSON Schema in `schemas/` for the request body, when the route takes one. */
  body?: string;
  /** Reads the body itself (e.g. a PDF); the route table then documents `bodyMediaTypes`. */
  rawBody?: boolean;
  bodyMediaTypes?: string[];
  query?: { name: string; required: boolean; description: string }[];
  responses: Record<number, string>;
  /** Media type of the success body when it is not JSON (e.g. application/pdf). */
  responseMediaType?: string;
  /** Name of a component schema describing the success body. */
  responseSchema?: string;
  handle(ctx: RequestContext): Promise<Reply> | Reply;
}

const bearer = /^Bearer ([A-Za-z0-9_-]{16,128})$/;

export function authenticate(req: Request, tokens: TokenStore, clock: Clock): Principal | null {
  const header = req.headers.authorization;
  if (header === undefined) return null;
  const match = bearer.exec(header);
  const principal = match ? tokens.resolve(match[1]!, clock.now()) : null;
  if (!principal) throw new DomainError('UNAUTHENTICATED', 'The bearer token is missing, invalid or expired');
  return principal;
}

export function authorise(access: Access, principal: Principal | null): void {
  if (access === 'public') return;
  if (!principal) throw new DomainError('UNAUTHENTICATED', 'This route needs Authorization: Bearer <accessToken>');
  if (!access.includes(principal.role)) {
    throw new DomainError('FORBIDDEN', `The role "${principal.role}" may not call this route`);
  }
}

/** Binds a route to express: authenticate → authorise → body → handler → reply. */
export function bindRoute(route: Route, deps: { tokens: TokenStore; clock: Clock }): RequestHandler {
  return async (req, res, next) => {
    try {
      // Public routes ignore credentials: a stale or foreign Authorization header must not
      // turn away a verification or a health check.
      const principal = route.access === 'public' ? null : authenticate(req, deps.tokens, deps.clock);
      authorise(route.access, principal);
      res.locals.principal = principal;
      const body = route.body && !route.rawBody ? await readJsonBody(req) : undefined;
      const reply = await route.handle({
        req,
        principal,
        params: req.params as Record<string, string>,
        query: req.query as Record<string, unknown>,
        body,
      });
      res.status(reply.status);
      for (const [name, value] of Object.entries(reply.headers ?? {})) res.setHeader(name, value);
      if (reply.body instanceof Uint8Array) {
        res.type(reply.contentType ?? 'application/octet-stream').send(Buffer.from(reply.body));
      } else if (reply.contentType) {
        res.type(reply.contentType).send(JSON.stringify(reply.body));
      } else {
        res.json(reply.body);
      }
    } catch (error) {
      next(error);
    }
  };
}
