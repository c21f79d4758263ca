<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN" sourcelanguage="en">
<context>
    <name>AttributeTable</name>
    <message>
        <location filename="../../gisapp/ui/attribute_table.py" line="153"/>
        <source>Filter:</source>
        <translation>筛选：</translation>
    </message>
    <message>
        <location filename="../../gisapp/ui/attribute_table.py" line="154"/>
        <source>text in any field</source>
        <translation>任意字段中的文字</translation>
    </message>
    <message>
        <location filename="../../gisapp/ui/attribute_table.py" line="158"/>
        <source>All fields</source>
        <translation>全部字段</translation>
    </message>
    <message>
        <location filename="../../gisapp/ui/attribute_table.py" line="170"/>
        <source>{shown} of {total} features, {selected} selected</source>
        <translation>显示 {shown} / 共 {total} 个要素，已选 {selected} 个</translation>
    </message>
</context>
<context>
    <name>ExportWebMapDialog</name>
    <message>
        <location filename="../../gisapp/ui/export_dialog.py" line="56"/>
        <location filename="../../gisapp/ui/export_dialog.py" line="261"/>
        <location filename="../../gisapp/ui/export_dialog.py" line="272"/>
        <source>Export web map</source>
        <translation>导出网页地图</translation>
    </message>
    <message>
        <location filename="../../gisapp/ui/export_dialog.py" line="63"/>
        <source>Browse…</source>
        <translation>浏览…</translation>
    </message>
    <message>
        <location filename="../../gisapp/ui/export_dialog.py" line="71"/>
        <source>Automatic: a note when shapes are schematic</source>
        <translation>自动：图形为示意时附注说明</translation>
    </message>
    <message>
        <location filename="../../gisapp/ui/export_dialog.py" line="79"/>
        <source>None: the bundled land and sea layers (works offline)</source>
        <translation>无：使用内置陆地与海域图层（可离线）</translation>
    </message>
    <message>
        <location filename="../../gisapp/ui/export_dialog.py" line="81"/>
        <source>Tianditu (needs your key)</source>
        <translation>天地图（需要您的密钥）</translation>
    </message>
    <message>
        <location filename="../../gisapp/ui/export_dialog.py" line="84"/>
        <source>Tianditu key</source>
        <translation>天地图密钥</translation>
    </message>
    <message>
        <location filename="../../gisapp/ui/export_dialog.py" line="85"/>
        <source>Gaode/AMap tiles are not offered: they are shifted (GCJ-02) and would misplace the WGS84 data.</source>
        <translation>不提供高德地图瓦片：其坐标经过偏移（GCJ-02），会使 WGS84 数据错位。</translation>
    </message>
    <message>
        <location filename="../../gisapp/ui/export_dialog.py" line="89"/>
        <source>Self-contained: one file that opens offline</source>
        <translation>独立文件：单个文件，可离线打开</translation>
    </message>
    <message>
        <location filename="../../gisapp/ui/export_dialog.py" line="90"/>
        <source>Linked: smaller, loads Leaflet from the internet</source>
        <translation>链接模式：文件更小，从互联网加载 Leaflet</translation>
    </message>
    <message>
        <location filename="../../gisapp/ui/export_dialog.py" line="97"/>
        <source>File:</source>
        <translation>文件：</translation>
    </message>
    <message>
        <location filename="../../gisapp/ui/export_dialog.py" line="98"/>
        <source>Title:</source>
        <translation>标题：</translation>
    </message>
    <message>
        <location filename="../../gisapp/ui/export_dialog.py" line="99"/>
        <source>Subtitle:</source>
        <translation>副标题：</translation>
    </message>
    <message>
        <location filename="../../gisapp/ui/export_dialog.py" line="100"/>
        <source>Language:</source>
        <translation>语言：</translation>
    </message>
    <message>
        <location filename="../../gisapp/ui/export_dialog.py" line="101"/>
        <source>Basemap:</source>
        <translation>底图：</translation>
    </message>
    <message>
        <location filename="../../gisapp/ui/export_dialog.py" line="102"/>
        <source>Tianditu key:</source>
        <translation>天地图密钥：</translation>
    </message>
    <message>
        <location filename="../../gisapp/ui/export_dialog.py" line="107"/>
        <source>Scripts:</source>
        <translation>脚本：</translation>
    </message>
    <message>
        <location filename="../../gisapp/ui/export_dialog.py" line="116"/>
        <source>Douglas-Peucker tolerance for every layer; 0 keeps every vertex</source>
        <translation>所有图层的道格拉斯-普克简化容差；0 表示保留全部节点</translation>
    </message>
    <message>
        <location filename="../../gisapp/ui/export_dialog.py" line="120"/>
        <source>Layer</source>
        <translation>图层</translation>
    </message>
    <message>
        <location filename="../../gisapp/ui/export_dialog.py" line="120"/>
        <source>Features</source>
        <translation>要素数</translation>
    </message>
    <message>
        <location filename="../../gisapp/ui/export_dialog.py" line="120"/>
        <source>Simplify</source>
        <translation>简化</translation>
    </message>
    <message>
        <location filename="../../gisapp/ui/export_dialog.py" line="127"/>
        <source>Simplify all layers to:</source>
        <translation>全部图层简化到：</translation>
    </message>
    <message>
        <location filename="../../gisapp/ui/export_dialog.py" line="130"/>
        <source>Layers (canvas order)</source>
        <translation>图层（按画布顺序）</translation>
    </message>
    <message>
        <location filename="../../gisapp/ui/export_dialog.py" line="138"/>
        <source>Export</source>
        <translation>导出</translation>
    </message>
    <message>
        <location filename="../../gisapp/ui/export_dialog.py" line="139"/>
        <source>Preview in browser</source>
        <translation>在浏览器中预览</translation>
    </message>
    <message>
        <location filename="../../gisapp/ui/export_dialog.py" line="186"/>
        <source>Simplification tolerance for this layer</source>
        <translation>本图层的简化容差</translation>
    </message>
    <message>
        <location filename="../../gisapp/ui/export_dialog.py" line="230"/>
        <source>Choose at least one layer.</source>
        <translation>请至少选择一个图层。</translation>
    </message>
    <message>
        <location filename="../../gisapp/ui/export_dialog.py" line="256"/>
        <source>Estimated file size: {size}</source>
        <translation>预计文件大小：{size}</translation>
    </message>
    <message>
        <location filename="../../gisapp/ui/export_dialog.py" line="262"/>
        <source>Web page (*.html)</source>
        <translation>网页 (*.html)</translation>
    </message>
    <message>
        <location filename="../../gisapp/ui/export_dialog.py" line="273"/>
        <source>The web map could not be written:
{error}</source>
        <translation>无法写入网页地图：
{error}</translation>
    </message>
</context>
<context>
    <name>FeaturePanel</name>
    <message>
        <location filename="../../gisapp/ui/feature_panel.py" line="51"/>
        <source>Click a zone on the map to see its attributes and plan indicators.</source>
        <translation>在地图上点击一个区域，查看其属性和规划指标。</translation>
    </message>
    <message>
        <location filename="../../gisapp/ui/feature_panel.py" line="92"/>
        <source>Schematic shape: placed from the plan text, not surveyed</source>
        <translation>示意图形：依据规划文本布设，非测绘成果</translation>
    </message>
    <message>
        <location filename="../../gisapp/ui/feature_panel.py" line="93"/>
        <source>Approximate shape</source>
        <translation>近似图形</translation>
    </message>
    <message>
        <location filename="../../gisapp/ui/feature_panel.py" line="94"/>
        <source>Surveyed shape</source>
        <translation>测绘图形</translation>
    </message>
    <message>
        <location filename="../../gisapp/ui/feature_panel.py" line="103"/>
        <source>Priority industries</source>
        <translation>重点产业</translation>
    </message>
    <message>
        <location filename="../../gisapp/ui/feature_panel.py" line="110"/>
        <source>Geodesic area</source>
        <translation>椭球面积</translation>
    </message>
    <message>
        <location filename="../../gisapp/ui/feature_panel.py" line="111"/>
        <source>Perimeter</source>
        <translation>周长</translation>
    </message>
    <message>
        <location filename="../../gisapp/ui/feature_panel.py" line="113"/>
        <source>Geodesic length</source>
        <translation>椭球长度</translation>
    </message>
    <message>
        <location filename="../../gisapp/ui/feature_panel.py" line="115"/>
        <source>Measures</source>
        <translation>量测</translation>
    </message>
    <message>
        <location filename="../../gisapp/ui/feature_panel.py" line="122"/>
        <source>Attributes</source>
        <translation>属性</translation>
    </message>
    <message>
        <location filename="../../gisapp/ui/feature_panel.py" line="135"/>
        <source>Plan indicators</source>
        <translation>规划指标</translation>
    </message>
    <message>
        <location filename="../../gisapp/ui/feature_panel.py" line="138"/>
        <source>No plan indicator is linked to this feature.</source>
        <translation>该要素未关联规划指标。</translation>
    </message>
    <message>
        <location filename="../../gisapp/ui/feature_panel.py" line="141"/>
        <source>Source</source>
        <translation>来源</translation>
    </message>
    <message>
        <location filename="../../gisapp/ui/feature_panel.py" line="154"/>
        <source>Baseline</source>
        <translation>基期</translation>
    </message>
    <message>
        <location filename="../../gisapp/ui/feature_panel.py" line="154"/>
        <source>Target</source>
        <translation>目标</translation>
    </message>
    <message>
        <location filename="../../gisapp/ui/feature_panel.py" line="154"/>
        <source>Actual</source>
        <translation>实际</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <location filename="../../gisapp/ui/main_window.py" line="220"/>
        <source>&amp;File</source>
        <translation>文件(&amp;F)</translation>
    </message>
    <message>
        <location filename="../../gisapp/ui/main_window.py" line="221"/>
        <source>&amp;View</source>
        <translation>视图(&amp;V)</translation>
    </message>
    <message>
        <location filename="../../gisapp/ui/main_window.py" line="222"/>
        <source>&amp;Layer</source>
        <translation>图层(&amp;L)</translation>
    </message>
    <message>
        <location filename="../../gisapp/ui/main_window.py" line="223"/>
        <source>L&amp;anguage</source>
        <translation>语言(&amp;A)</translation>
    </message>
    <message>
        <location filename="../../gisapp/ui/main_window.py" line="224"/>
        <source>&amp;Help</source>
        <translation>帮助(&amp;H)</translation>
    </message>
    <message>
        <location filename="../../gisapp/ui/main_window.py" line="225"/>
        <source>Map CRS</source>
        <translation>地图坐标系</translation>
    </message>
    <message>
        <location filename="../../gisapp/ui/main_window.py" line="226"/>
        <source>&amp;Open data…</source>
        <translation>打开数据(&amp;O)…</translation>
    </message>
    <message>
        <location filename="../../gisapp/ui/main_window.py" line="227"/>
        <source>&amp;Save project</source>
        <translation>保存项目(&amp;S)</translation>
    </message>
    <message>
        <location filename="../../gisapp/ui/main_window.py" line="228"/>
        <source>Save project &amp;as…</source>
        <translation>项目另存为(&amp;A)…</translation>
    </message>
    <message>
        <location filename="../../gisapp/ui/main_window.py" line="229"/>
        <source>Export web map…</source>
        <translation>导出网页地图…</translation>
    </message>
    <message>
        <location filename="../../gisapp/ui/main_window.py" line="230"/>
        <source>&amp;Quit</source>
        <translation>退出(&amp;Q)</translation>
    </message>
    <message>
        <location filename="../../gisapp/ui/main_window.py" line="231"/>
        <source>Zoom in</source>
        <translation>放大</translation>
    </message>
    <message>
        <location filename="../../gisapp/ui/main_window.py" line="232"/>
        <source>Zoom out</source>
        <translation>缩小</translation>
    </message>
    <message>
        <location filename="../../gisapp/ui/main_window.py" line="233"/>
        <source>Zoom to full extent</source>
        <translation>缩放至全图</translation>
    </message>
    <message>
        <location filename="../../gisapp/ui/main_window.py" line="234"/>
        <source>Zoom to layer</source>
        <translation>缩放至图层</translation>
    </message>
    <message>
        <location filename="../../gisapp/ui/main_window.py" line="235"/>
        <source>Zoom to selection</source>
        <translation>缩放至所选</translation>
    </message>
    <message>
        <location filename="../../gisapp/ui/main_window.py" line="236"/>
        <location filename="../../gisapp/ui/main_window.py" line="337"/>
        <source>Attribute table</source>
        <translation>属性表</translation>
    </message>
    <message>
        <location filename="../../gisapp/ui/main_window.py" line="237"/>
        <source>Remove layer</source>
        <translation>移除图层</translation>
    </message>
    <message>
        <location filename="../../gisapp/ui/main_window.py" line="238"/>
        <source>Clear selection</source>
        <translation>清除选择</translation>
    </message>
    <message>
        <location filename="../../gisapp/ui/main_window.py" line="239"/>
        <source>&amp;About</source>
        <translation>关于(&amp;A)</translation>
    </message>
    <message>
        <location filename="../../gisapp/ui/main_window.py" line="240"/>
        <source>Main toolbar</source>
        <translation>主工具栏</translation>
    </message>
    <message>
        <location filename="../../gisapp/ui/main_window.py" line="241"/>
        <source>Layers</source>
        <translation>图层</translation>
    </message>
    <message>
        <location filename="../../gisapp/ui/main_window.py" line="242"/>
        <source>Feature and plan indicators</source>
        <translation>要素与规划指标</translation>
    </message>
    <message>
        <location filename="../../gisapp/ui/main_window.py" line="244"/>
        <source>Opacity</source>
        <translation>不透明度</translation>
    </message>
    <message>
        <location filename="../../gisapp/ui/main_window.py" line="254"/>
        <source>bundled Dalian project</source>
        <translation>内置大连项目</translation>
    </message>
    <message>
        <location filename="../../gisapp/ui/main_window.py" line="259"/>
        <source>Lon {lon:.5f}°  Lat {lat:.5f}°</source>
        <translation>经度 {lon:.5f}°  纬度 {lat:.5f}°</translation>
    </message>
    <message>
        <location filename="../../gisapp/ui/main_window.py" line="263"/>
        <source>Scale 1:{scale}</source>
        <translation>比例尺 1:{scale}</translation>
    </message>
    <message>
        <location filename="../../gisapp/ui/main_window.py" line="338"/>
        <source>Attribute table — {layer}</source>
        <translation>属性表 — {layer}</translation>
    </message>
    <message>
        <location filename="../../gisapp/ui/main_window.py" line="346"/>
        <source>Choose a layer in the layer tree first.</source>
        <translation>请先在图层树中选择一个图层。</translation>
    </message>
    <message>
        <location filename="../../gisapp/ui/main_window.py" line="366"/>
        <source>Open data</source>
        <translation>打开数据</translation>
    </message>
    <message>
        <location filename="../../gisapp/ui/main_window.py" line="367"/>
        <source>Vector data ({patterns});;All files (*)</source>
        <translation>矢量数据 ({patterns});;所有文件 (*)</translation>
    </message>
    <message>
        <location filename="../../gisapp/ui/main_window.py" line="388"/>
        <source>Some files could not be opened</source>
        <translation>部分文件无法打开</translation>
    </message>
    <message>
        <location filename="../../gisapp/ui/main_window.py" line="404"/>
        <source>Save project</source>
        <translation>保存项目</translation>
    </message>
    <message>
        <location filename="../../gisapp/ui/main_window.py" line="405"/>
        <source>GeoPackage project (*.gpkg)</source>
        <translation>GeoPackage 项目 (*.gpkg)</translation>
    </message>
    <message>
        <location filename="../../gisapp/ui/main_window.py" line="423"/>
        <source>The project was not saved</source>
        <translation>项目未保存</translation>
    </message>
    <message>
        <location filename="../../gisapp/ui/main_window.py" line="425"/>
        <source>Saved {path}</source>
        <translation>已保存 {path}</translation>
    </message>
    <message>
        <location filename="../../gisapp/ui/main_window.py" line="433"/>
        <source>Unsaved changes</source>
        <translation>未保存的更改</translation>
    </message>
    <message>
        <location filename="../../gisapp/ui/main_window.py" line="434"/>
        <source>The project has unsaved changes. Save them first?</source>
        <translation>项目有未保存的更改。是否先保存？</translation>
    </message>
    <message>
        <location filename="../../gisapp/ui/main_window.py" line="459"/>
        <source>A desktop GIS for spatial planning: the Dalian High-tech Zone&apos;s “one corridor, one core, one city, multiple clusters” layout and its plan indicators.</source>
        <translation>面向空间规划的桌面 GIS：大连高新区“一廊一心一城多组团”空间布局及其规划指标。</translation>
    </message>
    <message>
        <location filename="../../gisapp/ui/main_window.py" line="461"/>
        <source>Data: © OpenStreetMap contributors (ODbL); geoBoundaries (Runfola et al. 2020). Plan shapes are schematic: placed from the plan text, not surveyed.</source>
        <translation>数据：© OpenStreetMap 贡献者（ODbL）；geoBoundaries（Runfola 等，2020）。规划图形为示意：依据规划文本布设，非测绘成果。</translation>
    </message>
    <message>
        <location filename="../../gisapp/ui/main_window.py" line="464"/>
        <source>About gisapp</source>
        <translation>关于 gisapp</translation>
    </message>
</context>
</TS>
