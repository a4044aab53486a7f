/** Model cards over HTTP: read the card in effect (JSON or Markdown), save a revision, list revisions. */
import { z } from 'zod';
import { CARD_SECTIONS, cardMarkdown, type CardSection } from '../../registry/cards/index.js';
import { principalOf } from '../auth/principal.js';
import { route, type Route } from '../route.js';
import { snakeKeys } from './snake-case.js';

const TAG = 'Model cards';
const anyObject = z.record(z.string(), z.unknown());
const nameParam = z.object({ name: z.string().min(1) });
const selector = z.object({ version: z.string().optional(), revision: z.string().optional() });
const sectionsSchema = z.object(Object.fromEntries(CARD_SECTIONS.map((s) => [s, z.string().optional()])) as Record<CardSection, z.ZodOptional<z.ZodString>>).strict();
const revisionSummary = z.object({ name: z.string(), revision: z.number(), model_version: z.number().nullable(), author: z.string().nullable(), created_at: z.number() });
/** The registered model a card route touches: cards inherit the model's permissions. */
const modelOf = (input: { readonly params: { readonly name: string } }): string => input.params.name;
const cardBody = z.object({ name: z.string(), revision: revisionSummary.nullable(), sections: z.record(z.string(), z.string()), facts: anyObject });

/** `/api/v1/registry/models/{name}/card`, its revisions, and its Markdown export. */
export const modelCardRoutes: Route[] = [
  route({
    method: 'GET', paths: ['/api/v1/registry/models/:name/card'], tag: TAG, access: 'read',
    permission: { on: 'registered_model', need: 'READ', id: modelOf },
    summary: "A model's card: the newest revision, the one in effect for model version `version`, or revision `revision`, with the parts cairn generates",
    params: nameParam,
    query: selector,
    response: cardBody,
    handler: async ({ params, query, services }) => snakeKeys(await services.modelCards.card(params.name, query)),
  }),
  route({
    method: 'PUT', paths: ['/api/v1/registry/models/:name/card'], tag: TAG, access: 'write',
    permission: { on: 'registered_model', need: 'EDIT', id: modelOf },
    summary: "Save a model's card as a new revision; absent sections are saved empty, `model_version` names the version it describes",
    params: nameParam,
    body: z.object({ sections: sectionsSchema, model_version: z.union([z.number(), z.string()]).optional() }).strict(),
    response: z.object({ revision: revisionSummary.extend({ sections: z.record(z.string(), z.string()) }) }),
    handler: async ({ params, body, services, request, reply }) => {
      const principal = principalOf(request);
      const saved = await services.modelCards.save(params.name, { sections: body.sections, modelVersion: body.model_version, author: principal.kind === 'user' ? principal.name : null });
      void reply.code(201);
      return { revision: snakeKeys(saved) };
    },
  }),
  route({
    method: 'GET', paths: ['/api/v1/registry/models/:name/card/revisions'], tag: TAG, access: 'read',
    permission: { on: 'registered_model', need: 'READ', id: modelOf },
    summary: "Every saved revision of a model's card, newest first, without the text",
    params: nameParam,
    response: z.object({ revisions: z.array(revisionSummary) }),
    handler: async ({ params, services }) => ({ revisions: snakeKeys(await services.modelCards.revisions(params.name)) }),
  }),
  route({
    method: 'GET', paths: ['/api/v1/registry/models/:name/card.md'], tag: TAG, access: 'read',
    permission: { on: 'registered_model', need: 'READ', id: modelOf },
    summary: "A model's card as one Markdown document (text/markdown), for version `version` or revision `revision`",
    params: nameParam,
    query: selector,
    response: z.string(),
    handler: async ({ params, query, services, reply }) => {
      const card = await services.modelCards.card(params.name, query);
      return reply.type('text/markdown; charset=utf-8').header('content-disposition', `inline; filename="${encodeURIComponent(params.name)}-card.md"`).send(cardMarkdown(card));
    },
  }),
];
