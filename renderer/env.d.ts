// Stylesheets are bundled by Vite: a CSS module yields its (scoped) class names, a plain stylesheet nothing.
declare module '*.module.css' {
  const classes: Readonly<Record<string, string>>;
  export default classes;
}
declare module '*.css';
// Assets imported for their URL (Vite copies them into the build): the call announcements.
declare module '*.wav?url' {
  const url: string;
  export default url;
}
