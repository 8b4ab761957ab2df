import type { TestProject } from 'vitest/node'
import { spawnTestCluster } from './cluster-process'

export const TEMPLATE_DB = 'impera_template'
const TEST_APP_PASSWORD = 'impera-test-app'

/**
 * One throwaway cluster per test run, migrated once into a template database that each test file clones
 * (CREATE DATABASE … TEMPLATE), so files never share rows and need no cleanup code.
 */
export default async function setup(project: TestProject) {
  const cluster = await spawnTestCluster(TEMPLATE_DB, TEST_APP_PASSWORD)
  project.provide('pg', { ownerUrlTemplate: cluster.info.ownerUrlTemplate, appPassword: cluster.info.appPassword })
  return () => cluster.stop()
}
