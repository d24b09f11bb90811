"""Alert stage: rules turn new claims into ledger entries; channels deliver them once."""
