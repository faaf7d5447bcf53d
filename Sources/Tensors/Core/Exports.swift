@_exported import AugurCore
