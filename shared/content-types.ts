/** The Content-Type of a built page's files by extension (`.js`), for the servers that serve them. */
const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.wav': 'audio/wav',
  '.json': 'application/json',
  '.woff2': 'font/woff2',
  '.woff': 'font/woff',
};

/** A file's type by its extension (with the dot); bytes nobody should interpret for anything else. */
export const contentTypeOfExtension = (ext: string): string => TYPES[ext] ?? 'application/octet-stream';
