export interface Spelling {
  name: string;
  path: string;
}

const capitalise = (segment: string) => segment.charAt(0).toUpperCase() + segment.slice(1);
const percentEncode = (char: string) =>
  `%${char.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`;

/**
 * Other ways to write a path that a lenient router, a proxy or a path-prefix check could take
 * for the same route: case, slashes, encodings, dot segments, absolute form, suffixes.
 */
export function pathSpellings(path: string): Spelling[] {
  const [first, ...rest] = path.split('/').slice(1);
  const tail = rest.length > 0 ? `/${rest.join('/')}` : '';
  const spellings: Spelling[] = [
    { name: 'as routed', path },
    { name: 'upper case', path: path.toUpperCase() },
    { name: 'capitalised segments', path: `/${[first, ...rest].map(capitalise).join('/')}` },
    { name: 'upper-case first segment', path: `/${first.toUpperCase()}${tail}` },
    { name: 'trailing slash', path: `${path}/` },
    { name: 'two trailing slashes', path: `${path}//` },
    { name: 'leading double slash', path: `/${path}` },
    { name: 'inner double slash', path: `/${first}/${tail}` },
    { name: 'encoded slash %2F', path: `/${[first, ...rest].join('%2F')}` },
    { name: 'encoded slash %2f', path: `/${first}%2f${rest.join('/')}` },
    { name: 'dot segment', path: `/${first}/.${tail}` },
    { name: 'dot-dot segment', path: `/${first}/x/..${tail}` },
    { name: 'encoded dot-dot segment', path: `/${first}/x/%2e%2e${tail}` },
    { name: 'trailing dot segment', path: `${path}/.` },
    { name: 'trailing dot-dot segment', path: `${path}/..` },
    {
      name: 'percent-encoded first letter',
      path: `/${percentEncode(first)}${first.slice(1)}${tail}`,
    },
    {
      name: 'percent-encoded upper-case letter',
      path: `/${percentEncode(first.toUpperCase())}${first.slice(1)}${tail}`,
    },
    { name: 'encoded hyphen', path: path.replace(/-/g, '%2D') },
    { name: 'absolute form', path: `http://127.0.0.1${path}` },
    { name: 'absolute form, upper case', path: `http://127.0.0.1${path.toUpperCase()}` },
    { name: 'query', path: `${path}?from_memory=true` },
    { name: 'upper case with query', path: `${path.toUpperCase()}?from_memory=true` },
    { name: 'trailing slash with query', path: `${path}/?from_memory=true` },
    { name: 'semicolon parameter', path: `${path};x=1` },
    { name: 'encoded NUL suffix', path: `${path}%00` },
    { name: 'encoded space suffix', path: `${path}%20` },
    { name: 'fragment', path: `${path}#x` },
    { name: 'backslashes', path: `/${[first, ...rest].join('\\')}` },
  ];
  return spellings;
}
