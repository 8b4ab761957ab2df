/**
 * The formatter decides layout (decision 015): 120 columns, the width the comments already use; no semicolons and
 * single quotes, as the code was written; Tailwind classes in the framework's order.
 * @type {import('prettier').Config}
 */
export default {
  printWidth: 120,
  semi: false,
  singleQuote: true,
  trailingComma: 'all',
  plugins: ['prettier-plugin-tailwindcss'],
  tailwindStylesheet: './packages/ui/src/styles.css',
  tailwindFunctions: ['cn', 'cva'],
}
