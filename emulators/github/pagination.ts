import { validationFailed } from './errors';
import type { Reply, Request } from './http';

const DEFAULT_PER_PAGE = 30;
const MAX_PER_PAGE = 100;

function positive(request: Request, name: string, fallback: number): number {
  const text = request.query.get(name);
  if (text === null) return fallback;
  const value = Number(text);
  if (!Number.isInteger(value) || value < 1)
    throw validationFailed([{ resource: 'Search', field: name, code: 'invalid' }]);
  return value;
}

/**
 * One page of a list, as GitHub serves it: `per_page` (default 30, at most 100) and `page`, with a `Link`
 * header naming the first, previous, next and last pages by absolute URL (Octokit's paginate follows `next`).
 */
export function paginated(request: Request, items: unknown[]): Reply {
  const perPage = Math.min(positive(request, 'per_page', DEFAULT_PER_PAGE), MAX_PER_PAGE);
  const page = positive(request, 'page', 1);
  const last = Math.max(1, Math.ceil(items.length / perPage));
  const link = (target: number, rel: string) => {
    const query = new URLSearchParams(request.query);
    query.set('per_page', String(perPage));
    query.set('page', String(target));
    return `<${request.baseUrl}${request.path}?${query.toString()}>; rel="${rel}"`;
  };
  const links = [
    ...(page > 1 ? [link(page - 1, 'prev'), link(1, 'first')] : []),
    ...(page < last ? [link(page + 1, 'next'), link(last, 'last')] : []),
  ];
  return {
    status: 200,
    body: items.slice((page - 1) * perPage, page * perPage),
    headers: links.length ? { link: links.join(', ') } : {},
  };
}
