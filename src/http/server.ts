import http from 'node:http';
import type { Express } from 'express';

/**
 * The HTTP server of an express app whose request and response objects are made with the app's
 * prototypes from the start.
 *
 * Express gives each request its prototypes as the request comes in
 * (`Object.setPrototypeOf(req, app.request)`, the same for `res`). V8 answers a prototype change
 * on a live object with a hidden class of its own, so every request's `req` and `res` start
 * cold, and the property look-ups of node's http code and of express miss their inline caches.
 * Profiled, that was most of a bare express route's CPU on the event loop (map migrations,
 * descriptor copies and megamorphic look-ups). Made here with those prototypes, the objects keep
 * one hidden class; express's own `setPrototypeOf` then finds the prototype already in place
 * and changes nothing. What express does with the objects is unchanged: the same properties,
 * methods and order of middleware.
 *
 * Node's constructors are plain functions (node 20), called here on an object that already has
 * the prototype. Should a node make them classes, which cannot be called so, the server is
 * made as `app.listen` makes it. `npm run bench:verify-http` measures a bare express route both ways.
 */
export function createHttpServer(app: Express): http.Server {
  if (isClass(http.IncomingMessage) || isClass(http.ServerResponse)) return http.createServer(app);
  return http.createServer(
    {
      IncomingMessage: madeWithPrototype(http.IncomingMessage, app.request),
      ServerResponse: madeWithPrototype(http.ServerResponse, app.response),
    },
    app,
  );
}

const isClass = (made: unknown) => /^class\b/.test(Function.prototype.toString.call(made));

/**
 * A constructor for node's http server to call with `new`: what `base` builds, on an object whose
 * prototype is `prototype`. (`Reflect.construct` with a new target would do the same for classes,
 * but V8 takes a slow path for it that cost more than the prototype change it saves.)
 */
function madeWithPrototype<C>(base: C, prototype: object): C {
  const construct = base as unknown as (this: object, first: unknown, second: unknown) => void;
  function Made(this: object, first: unknown, second: unknown) {
    construct.call(this, first, second);
  }
  Made.prototype = prototype;
  return Made as unknown as C;
}
