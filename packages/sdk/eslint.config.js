import config from '@impera/config/eslint'

export default config
