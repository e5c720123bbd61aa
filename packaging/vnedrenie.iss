; Inno Setup script of «Внедрение»: installs the PyInstaller folder dist\vnedrenie (packaging\vnedrenie.spec)
; for the current user, with a Russian Start-menu entry and an optional desktop shortcut.
;   iscc packaging\vnedrenie.iss        (after pyinstaller; .github/workflows/windows.yml does both)
; Output: dist\installer\vnedrenie-setup-<version>.exe

#define AppVersion GetEnv("VNEDRENIE_VERSION")
#if AppVersion == ""
  #define AppVersion "0.1.0"
#endif

[Setup]
AppId={{4E7B2C1A-9D3F-4C8B-A6E2-5F1D0B7C9A34}
AppName=Внедрение
AppVersion={#AppVersion}
AppVerName=Внедрение {#AppVersion}
AppPublisher=Внедрение АСУ «Менеджмент»
DefaultDirName={localappdata}\Programs\Vnedrenie
DefaultGroupName=Внедрение
PrivilegesRequired=lowest
OutputDir=..\dist\installer
OutputBaseFilename=vnedrenie-setup-{#AppVersion}
SetupIconFile=..\resources\icons\vnedrenie.ico
UninstallDisplayIcon={app}\vnedrenie-gui.exe
Compression=lzma2
SolidCompression=yes
WizardStyle=modern
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible

[Languages]
Name: "ru"; MessagesFile: "compiler:Languages\Russian.isl"

[Tasks]
Name: "desktopicon"; Description: "Создать значок на рабочем столе"; GroupDescription: "Дополнительные значки:"

[Files]
Source: "..\dist\vnedrenie\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[Icons]
Name: "{group}\Внедрение"; Filename: "{app}\vnedrenie-gui.exe"; Comment: "Рабочее место специалиста по внедрению АСУ «Менеджмент»"
Name: "{group}\Удалить «Внедрение»"; Filename: "{uninstallexe}"
Name: "{userdesktop}\Внедрение"; Filename: "{app}\vnedrenie-gui.exe"; Tasks: desktopicon

[Run]
Filename: "{app}\vnedrenie-gui.exe"; Description: "Запустить «Внедрение»"; Flags: nowait postinstall skipifsilent
