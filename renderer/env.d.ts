// Stylesheets are bundled by Vite: a CSS module yields its (scoped) class names, a plain stylesheet nothing.
declare module '*.module.css' {
  const classes: Readonly<Record<string, string>>;
  export default classes;
}
declare module '*.css';
