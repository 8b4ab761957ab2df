import { redirect, type LoaderFunctionArgs } from '@remix-run/node'

export async function loader({ context }: LoaderFunctionArgs) {
  const identity = await context.scope.identity()
  return redirect(identity ? '/app' : '/login')
}
