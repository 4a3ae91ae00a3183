-- wasmlens for Neovim 0.11+'s `vim.lsp.config` / `vim.lsp.enable`:
--   vim.lsp.enable('wasmlens')
-- with this plugin's folder on 'runtimepath'. Override any field with
-- `vim.lsp.config('wasmlens', { ... })`.
return {
  cmd = { 'wasmlens', 'lsp' },
  filetypes = { 'wit' },
  -- The project root: where wasmlens.toml maps worlds to components, else
  -- the folder that holds wit/, else the repository.
  root_markers = { 'wasmlens.toml', 'wit', '.git' },
  -- The lenses are kept fresh by the plugin's LspAttach autocmd, not an
  -- `on_attach` here, which a user's own `on_attach` would replace.
  -- Output of runs and builds, as the server streams it.
  handlers = {
    ['wasmlens/output'] = function(_, params)
      require('wasmlens').output(params)
    end,
  },
}
